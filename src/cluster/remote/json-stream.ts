/**
 * Splits a stream of concatenated JSON values (what `kubectl get --watch
 * --output json` prints: one pretty-printed object after another) into the
 * values. Feed chunks with `push`; it returns the values completed so far.
 */
export class JsonStreamSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  push(chunk: string): unknown[] {
    this.buffer += chunk;
    const values: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (char === '\\') this.escaped = true;
        else if (char === '"') this.inString = false;
        continue;
      }
      if (char === '"') this.inString = true;
      else if (char === '{' || char === '[') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (char === '}' || char === ']') {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) {
          values.push(JSON.parse(this.buffer.slice(this.start, i + 1)));
          this.buffer = this.buffer.slice(i + 1);
          i = -1;
          this.start = -1;
        }
      }
    }
    this.scanned = this.buffer.length;
    if (this.depth === 0) {
      // Only white space (or stray text) between values: nothing to keep.
      this.buffer = '';
      this.scanned = 0;
    }
    return values;
  }
}
