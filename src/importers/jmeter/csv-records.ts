/**
 * Splits CSV text into records, line by line, as JMeter writes it
 * (CSVSaveService): fields separated by one delimiter character, a field that
 * holds the delimiter, a quote or a line break enclosed in double quotes with
 * its quotes doubled. A record may span lines. Pure: `push` lines, then `finish`.
 */

export interface CsvRecord {
  readonly fields: readonly string[];
  /** The 1-based line the record starts on. */
  readonly line: number;
}

export class CsvRecords {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private startLine = 0;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {}

  /** One line without its line break. */
  push(line: string, number: number): void {
    if (!this.quoted) {
      if (line === '') return;
      this.startLine = number;
    } else {
      this.field += '\n';
    }
    for (let index = 0; index < line.length; index++) {
      const char = line[index] as string;
      if (this.quoted) {
        if (char !== '"') this.field += char;
        else if (line[index + 1] === '"') {
          this.field += '"';
          index++;
        } else this.quoted = false;
      } else if (char === '"' && this.field === '') this.quoted = true;
      else if (char === this.delimiter) {
        this.fields.push(this.field);
        this.field = '';
      } else this.field += char;
    }
    if (this.quoted) return;
    this.fields.push(this.field);
    this.onRecord({ fields: this.fields, line: this.startLine });
    this.fields = [];
    this.field = '';
  }

  /** The line where a quoted field opened and never closed, if the text ended inside one. */
  unterminatedAt(): number | undefined {
    return this.quoted ? this.startLine : undefined;
  }
}
