import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FeedNetworkError, FeedTooLargeError } from '../errors.ts';

/** A decoder for a Content-Encoding, or null for identity; unknown codings are an error. */
function decoderFor(encoding: string | null, url: string): Transform | null {
  const coding = (encoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return null;
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
  if (coding === 'deflate') return createInflate();
  if (coding === 'br') return createBrotliDecompress();
  throw new FeedNetworkError(url, `unsupported content-encoding "${coding}"`);
}

/**
 * Reads a response body as it streams, decoding its Content-Encoding, and stops the moment
 * either the bytes on the wire or the decoded bytes pass `maxBytes`: a 50 MB body or a zip bomb
 * costs at most `maxBytes` of memory. Stopping destroys the source, which aborts the connection.
 */
export async function readBody(
  source: AsyncIterable<Uint8Array> & Readable,
  opts: { encoding: string | null; maxBytes: number; url: string },
): Promise<Uint8Array> {
  const decoder = decoderFor(opts.encoding, opts.url);
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  let decodedBytes = 0;

  async function* countWire(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      wireBytes += chunk.byteLength;
      if (wireBytes > opts.maxBytes) throw new FeedTooLargeError(opts.url, opts.maxBytes);
      yield chunk;
    }
  }
  async function collect(input: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of input) {
      decodedBytes += chunk.byteLength;
      if (decodedBytes > opts.maxBytes) throw new FeedTooLargeError(opts.url, opts.maxBytes);
      chunks.push(chunk);
    }
  }

  // Most bodies come as they are: read straight from the socket's stream. A pipeline's setup and
  // teardown (an abort controller and its AbortError each time) cost more than reading a 50 KB body.
  // Leaving the loop early (past the cap) destroys the stream, as the pipeline would.
  if (decoder) await pipeline(source, countWire, decoder, collect);
  else await collect(countWire(source));
  const body = Buffer.concat(chunks, decodedBytes);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}
