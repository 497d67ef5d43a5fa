import { WorkbenchError } from '../../lib/errors';

/** A downloaded file: its name (the URL's last path part), bytes, and whether it came from this site. */
export interface Download {
  readonly name: string;
  readonly blob: Blob;
  readonly kind: 'sample' | 'url';
}

/** Downloads an https URL (or one of this site) for import; failures are REMOTE_UNAVAILABLE, saying why. */
export async function download(url: string): Promise<Download> {
  const parsed = new URL(url, self.location.href);
  if (parsed.protocol !== 'https:' && parsed.origin !== self.location.origin) {
    throw new WorkbenchError('INVALID_INPUT', 'Only https URLs (or this site) can be imported');
  }
  let blob: Blob;
  try {
    const res = await fetch(parsed);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    blob = await res.blob();
  } catch (e) {
    throw new WorkbenchError(
      'REMOTE_UNAVAILABLE',
      `Could not download ${parsed.href}: ${(e as Error).message}. The server may be down or not allow cross-origin requests (CORS).`,
    );
  }
  const name = decodeURIComponent(parsed.pathname.split('/').pop() || 'download');
  return { name, blob, kind: parsed.origin === self.location.origin ? 'sample' : 'url' };
}
