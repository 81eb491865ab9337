/** Storage wrappers: a storage whose instances have some of their methods replaced. */
import type { RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';

/**
 * `storage`, with each instance it creates wrapped: `override` gets the instance, its creation
 * parameters and the wrapper (what RxDB will hold), and returns the methods it replaces.
 */
export function wrapStorageInstances<I, O>(
  storage: RxStorage<I, O>,
  override: <D>(
    instance: RxStorageInstance<D, I, O>,
    params: RxStorageInstanceCreationParams<D, O>,
    wrapper: RxStorageInstance<D, I, O>,
  ) => Partial<RxStorageInstance<D, I, O>> | Promise<Partial<RxStorageInstance<D, I, O>>>,
): RxStorage<I, O> {
  return {
    ...storage,
    async createStorageInstance<D>(
      params: RxStorageInstanceCreationParams<D, O>,
    ): Promise<RxStorageInstance<D, I, O>> {
      const instance = await storage.createStorageInstance<D>(params);
      // The instance is a class with private state: keep it, replace what is changed.
      const wrapper = Object.create(instance) as RxStorageInstance<D, I, O>;
      return Object.assign(wrapper, await override(instance, params, wrapper));
    },
  };
}
