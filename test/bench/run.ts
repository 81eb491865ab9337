/** `npm run bench`: the benchmark suite lands with issue #10; until then it says so. */
process.stdout.write('switchboard bench: no benchmarks yet (see the benchmarks issue)\n');
