import { DataPage } from '../features/data/DataPage';
import { DeployPage } from '../features/deploy/DeployPage';
import { DevicePage } from '../features/device/DevicePage';
import { LicensesPage } from '../features/licenses/LicensesPage';
import { MonitorPage } from '../features/monitor/MonitorPage';
import { PreprocessPage } from '../features/preprocess/PreprocessPage';
import { ProjectsPage } from '../features/project/ProjectsPage';
import { PlannedStage } from '../features/stage/PlannedStage';
import { TrainPage } from '../features/train/TrainPage';
import { CapabilityBanner } from './CapabilityBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { Notices } from './Notices';
import { ROUTES, useHashRoute, type RouteId } from './useHashRoute';

function Page({ id }: { id: RouteId }) {
  switch (id) {
    case 'data':
      return <DataPage />;
    case 'device':
      return <DevicePage />;
    case 'preprocess':
      return <PreprocessPage />;
    case 'train':
      return <TrainPage />;
    case 'deploy':
      return <DeployPage />;
    case 'licenses':
      return <LicensesPage />;
    case 'monitor':
      return <MonitorPage />;
    case 'projects':
      return <ProjectsPage />;
    default:
      return <PlannedStage id={id} label={ROUTES.find((r) => r.id === id)?.label ?? id} />;
  }
}

/** The shell: header with where work runs, stage navigation, and the current page. */
export function App() {
  const route = useHashRoute();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="header">
        <span className="brand">WebGPU Workbench</span>
        <CapabilityBanner />
      </header>
      <nav aria-label="Stages">
        <ul>
          {ROUTES.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} aria-current={route === r.id ? 'page' : undefined}>
                {r.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Notices />
        <ErrorBoundary key={route}>
          <Page id={route} />
        </ErrorBoundary>
      </main>
    </>
  );
}
