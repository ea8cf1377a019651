/**
 * File-system failures in words. Node reports them as codes (ENOENT, EISDIR,
 * …) that a user should not have to look up; messages name the flag and the
 * path and then say what went wrong with `describeFsError`.
 */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'already exists',
  ENOTEMPTY: 'is a folder that is not empty',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is too large',
  ENAMETOOLONG: 'the path or one of its names is too long',
  ELOOP: 'too many symbolic links (a link that points to itself?)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on this system',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EBUSY: 'the file or device is busy',
  EIO: 'input/output error',
  EXDEV: 'it is on another file system',
  EINVAL: 'the file system does not support this operation here',
  ETXTBSY: 'the file is busy',
};

/** The error code of a Node file-system error, if it has one. */
export function fsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** What went wrong, in words: "does not exist", "permission denied", … */
export function describeFsError(error: unknown): string {
  const code = fsErrorCode(error);
  const words = code === undefined ? undefined : WORDS[code];
  if (words !== undefined) return words;
  const message = error instanceof Error ? error.message : String(error);
  // Node's message is "CODE: libuv's words, syscall 'path'": keep the words.
  return message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+ '.*$/s, '');
}
