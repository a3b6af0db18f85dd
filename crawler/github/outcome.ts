// What fetching one ServerRef's source comes to. A crawl-queue item is one ServerRef → one FetchOutcome,
// so the queue can store it as the item's state: fetched (a directory to extract from), unchanged since the
// version the caller already processed, gone for good (with why), or failed (retry or not).
import type { CrawlError } from '../errors.ts';

export type GoneReason =
  | 'not-found' // 404: deleted, private, or never existed
  | 'dmca' // 451 with a DMCA block
  | 'blocked' // 451 or 403 for another legal/TOS reason
  | 'empty' // a repository with no commits
  | 'subdir-missing' // the monorepo subfolder is not in the tree
  | 'no-source'; // a package without a downloadable source archive

export interface Fetched {
  status: 'fetched';
  /** The extracted source tree (the subfolder when the ref names one). */
  dir: string;
  /** Opaque change key to store once the tree is processed; pass it back as `known` next time. */
  version: string;
  /** The commit the tree is from (GitHub), when known. */
  commit?: string;
  /** `owner/repo` when the repository was renamed or moved and the ref should be updated. */
  movedTo?: string;
  archived?: boolean;
  fork?: boolean;
  files: number;
  /** Entries left out of the tree (links, oversized files, unsafe paths). */
  skipped: number;
}

export interface Unchanged {
  status: 'unchanged';
  version: string;
  movedTo?: string;
  archived?: boolean;
}

export interface Gone {
  status: 'gone';
  reason: GoneReason;
  /** Human detail naming the subject, e.g. `acme/x: repository access blocked (DMCA)`. */
  detail: string;
  httpStatus?: number;
  /** `gone:<reason>`: store it like a version; passed back as `known`, a still-missing repo costs no REST. */
  version?: string;
}

export interface Failed {
  status: 'failed';
  error: CrawlError;
  retryable: boolean;
  /** When the failure was a rate limit: wait this long; the attempt should not count. */
  retryAfterMs?: number;
}

export type FetchOutcome = Fetched | Unchanged | Gone | Failed;
