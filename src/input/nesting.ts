/**
 * The deepest nesting zdd reads in a user's YAML or JSON. The readers after
 * the parser (the YAML composer, toJS, the schema checks, JSON.stringify in
 * messages) recurse once per level, so a file of 100 000 nested `[` would end
 * in "Maximum call stack size exceeded"; it is refused first, by file and line.
 */
import {
  Composer,
  type CST,
  type Document,
  type DocumentOptions,
  Lexer,
  LineCounter,
  type ParseOptions,
  Parser,
  parseAllDocuments,
  type SchemaOptions,
  YAMLParseError,
} from 'yaml';

/** Far beyond any manifest, settings or results file (a Kubernetes object nests about 10 levels). */
export const MAX_NESTING = 256;

/** What is wrong, for messages. */
export const TOO_DEEP = `nested more than ${MAX_NESTING} levels deep`;

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * `parseAllDocuments` of the yaml package, in one pass, except that a stream
 * nested deeper than `MAX_NESTING` gives one document whose error (`TOO_DEEP`
 * at its line and column) is found before anything recurses. Callers read
 * errors as they do parseAllDocuments' (first line, `linePos`).
 */
export function parseYamlDocuments(source: string, options: YamlOptions = {}): Document.Parsed[] {
  const lineCounter = options.lineCounter ?? new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(source)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser's stack holds the document and one token per open collection (the parser itself loops).
    if (parser.stack.length > MAX_NESTING + 1) {
      return [tooDeepDocument(Math.max(0, parser.offset - 1), lineCounter, options)];
    }
  }
  for (const token of parser.end()) tokens.push(token);
  const documents = Array.from(new Composer(options).compose(tokens));
  const clean = documents.every((document) => document.errors.length === 0 && document.warnings.length === 0);
  // Problems are rare: parse again with parseAllDocuments for its messages with line, column and context.
  if (clean || options.prettyErrors === false) return documents;
  return [...parseAllDocuments(source, { ...options, lineCounter: new LineCounter() })] as Document.Parsed[];
}

/**
 * The offset at which JSON `text` opens its level `MAX_NESTING + 1`, if it
 * does. A plain scan (strings skipped): JSON.parse itself copes, but what
 * walks the value afterwards would not.
 */
export function jsonTooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92)
        index++; // a backslash escapes the next character
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 || code === 123) {
      if (++depth > MAX_NESTING) return index;
    } else if (code === 93 || code === 125) depth--;
  }
  return undefined;
}

function tooDeepDocument(offset: number, lineCounter: LineCounter, options: YamlOptions): Document.Parsed {
  const [document] = new Composer(options).compose([], true, offset);
  const { line, col } = lineCounter.linePos(offset);
  const error = new YAMLParseError(
    [offset, offset + 1],
    'RESOURCE_EXHAUSTION',
    `${TOO_DEEP} at line ${line}, column ${col}`,
  );
  error.linePos = [{ line, col }];
  (document as Document.Parsed).errors.push(error);
  return document as Document.Parsed;
}
