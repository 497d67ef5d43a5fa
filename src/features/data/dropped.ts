/** Files dropped on the page with their paths ('cats/1.png'), walking into dropped folders. */
export interface DroppedFiles {
  readonly files: File[];
  readonly paths: string[];
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: DroppedFiles): Promise<void> {
  if (entry.isFile) {
    out.files.push(await fileOf(entry as FileSystemFileEntry));
    out.paths.push(entry.fullPath.replace(/^\//, ''));
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries per call; an empty batch means the folder is done.
    for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
      for (const e of batch) await walk(e, out);
    }
  }
}

/**
 * What a drop holds. Entries must be taken during the drop event itself (the list empties afterwards),
 * so call this synchronously from the handler and await the result.
 */
export function droppedFiles(dt: DataTransfer): Promise<DroppedFiles> {
  const entries = [...dt.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null));
  const loose = [...dt.files];
  if (entries.length === 0 || entries.some((e) => e === null)) {
    return Promise.resolve({ files: loose, paths: loose.map((f) => f.name) });
  }
  return (async () => {
    const out: DroppedFiles = { files: [], paths: [] };
    for (const e of entries) await walk(e!, out);
    return out;
  })();
}
