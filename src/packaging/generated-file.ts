/** A file an output form writes: its path inside the output folder ('/'-separated) and its content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** The same files, inside `folder`. */
export function inFolder(folder: string, files: readonly GeneratedFile[]): GeneratedFile[] {
  return files.map((file) => ({ path: `${folder}/${file.path}`, content: file.content }));
}
