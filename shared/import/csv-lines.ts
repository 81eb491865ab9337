/**
 * Cuts a stream of CSV text into records, one at a time, so that a broken line never stops the
 * import: a record is one line, or several when a quoted field holds line breaks. A quote opens a
 * quoted field only at the start of a field (elsewhere it is a stray quote, kept as text); a
 * quoted field left open for more than MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters is
 * taken as an unclosed quote: its first line is refused and reading restarts on the next line.
 * Fields are split by the caller's CSV parser (csv-parse), record by record. Pure.
 */
import type { CsvRecord } from './run-import';

/** Longest run of lines one record may span. */
export const MAX_RECORD_LINES = 20;
/** Longest record, in characters. */
export const MAX_RECORD_CHARS = 100_000;

/** A chunk of decoded text and how many bytes of the file have been read with it. */
export type TextChunk = { readonly text: string; readonly bytes?: number };

/** Splits one record's text into fields, or says why it cannot. */
export type FieldParser = (text: string) => readonly string[] | { readonly error: string };

/** Quote state at the end of `line`, starting `inQuote` (true: inside a quoted field). */
export function quoteStateAfter(line: string, inQuote: boolean): boolean {
  let q = inQuote;
  let fieldStart = !inQuote;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (q) {
      if (c === 34) {
        if (line.charCodeAt(i + 1) === 34) i++;
        else q = false;
      }
    } else if (c === 44) fieldStart = true;
    else {
      if (c === 34 && fieldStart) q = true;
      fieldStart = false;
    }
  }
  return q;
}

/** The records of `chunks`, numbered by the file line they start on. */
export async function* csvRecords(
  chunks: AsyncIterable<TextChunk> | Iterable<TextChunk>,
  parseFields: FieldParser,
): AsyncGenerator<CsvRecord> {
  let rest = '';
  let lineNo = 0;
  let bytes: number | undefined;
  // Lines of the record being assembled, with their numbers.
  let pending: { n: number; text: string }[] = [];
  let inQuote = false;
  let chars = 0;

  const emit = (lines: { n: number; text: string }[]): CsvRecord => {
    const first = lines[0]?.n ?? lineNo;
    const text = lines.map((l) => l.text).join('\n');
    const parsed = parseFields(text);
    const at = bytes === undefined ? {} : { bytes };
    return 'error' in parsed
      ? { line: first, error: parsed.error, ...at }
      : { line: first, fields: parsed, ...at };
  };

  function* take(line: { n: number; text: string }): Generator<CsvRecord> {
    // Blank lines between records carry nothing.
    if (pending.length === 0 && line.text.trim() === '') return;
    pending.push(line);
    chars += line.text.length;
    inQuote = quoteStateAfter(line.text, inQuote);
    if (!inQuote) {
      const lines = pending;
      pending = [];
      chars = 0;
      yield emit(lines);
      return;
    }
    if (pending.length > MAX_RECORD_LINES || chars > MAX_RECORD_CHARS) {
      const [bad, ...again] = pending;
      pending = [];
      chars = 0;
      inQuote = false;
      if (bad) yield { line: bad.n, error: 'a quoted field is never closed (stray quote)' };
      for (const l of again) yield* take(l);
    }
  }

  for await (const chunk of chunks) {
    if (chunk.bytes !== undefined) bytes = chunk.bytes;
    const text = rest + chunk.text;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lineNo++;
      yield* take({ n: lineNo, text: text.slice(start, end) });
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') {
    lineNo++;
    yield* take({ n: lineNo, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest });
  }
  while (pending.length > 0) {
    const [bad, ...again] = pending;
    pending = [];
    inQuote = false;
    if (bad)
      yield { line: bad.n, error: 'a quoted field is never closed (the file ends inside it)' };
    for (const l of again) yield* take(l);
  }
}
