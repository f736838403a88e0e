import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../blobs/localBlobStore.ts';

/** A small agency FAQ in Spanish, the kind of document an admin uploads: for knowledge-base and FAQ-agent tests. */
export const AGENCY_FAQ_MARKDOWN = `# Preguntas frecuentes

## Ubicación
La agencia está en Avenida Chapultepec 480, Guadalajara. Atendemos de lunes a viernes de 10:00 a 18:00.

## Pagos
Los pagos se hacen por transferencia bancaria dentro de los 30 días posteriores a cada trabajo. La agencia no cobra ninguna cuota por registrarte.

## Edad
Aceptamos aspirantes desde los 13 años. Los menores de edad necesitan el consentimiento de su madre, padre o tutor.

## Castings
Los castings se anuncian por este chat con al menos dos días de anticipación. Trae ropa neutra y el pelo recogido.
`;

/** A blob store in a fresh temporary directory; `dispose` removes it. */
export async function temporaryBlobStore(): Promise<{ blobs: LocalBlobStore; dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wasaprecruit-knowledge-'));
  const blobs = new LocalBlobStore({ dataDir: dir, publicUrl: 'http://127.0.0.1', urlSecret: 'knowledge-test-url-secret-0123456789abcdef' });
  return { blobs, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
