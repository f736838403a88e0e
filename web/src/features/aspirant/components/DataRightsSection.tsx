import { useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { useExportAspirantData } from '../api/dataRights.ts';
import '../dataRights.css';
import type { PanelViewer } from './AspirantPanel.tsx';
import { EraseAspirantDialog } from './EraseAspirantDialog.tsx';

/** Long enough for the browser to start saving the file, after which the object URL is no longer needed. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

function saveFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** The aspirant's data rights: everyone who sees them may export their data; admins may erase it. */
export function DataRightsSection({
  aspirant,
  viewer,
  onErased,
}: {
  readonly aspirant: AspirantDetailsFragment;
  readonly viewer: PanelViewer;
  readonly onErased: () => void;
}) {
  const exportData = useExportAspirantData();
  const [exporting, setExporting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const exportNow = async () => {
    setExporting(true);
    setProblem(null);
    try {
      saveFile(`aspirant-${aspirant.id}.json`, await exportData(aspirant.id));
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="panel__section" aria-labelledby="data-rights-title">
      <h3 id="data-rights-title">Data</h3>
      <div className="data-rights__actions">
        <button type="button" className="button button--small" onClick={() => void exportNow()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export data (JSON)'}
        </button>
        {viewer.isAdmin && (
          <button type="button" className="button button--small button--danger" onClick={() => setConfirming(true)}>
            Erase aspirant…
          </button>
        )}
      </div>
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {confirming && <EraseAspirantDialog aspirant={aspirant} onClose={() => setConfirming(false)} onErased={onErased} />}
    </section>
  );
}
