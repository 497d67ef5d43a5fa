import { Component, type ErrorInfo, type ReactNode } from 'react';
import { reportHarnessError } from '../bridge/clients';

interface Props {
  readonly children: ReactNode;
}
interface State {
  readonly error: Error | null;
}

/** Catches render errors in a page so the rest of the app stays usable. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    reportHarnessError('react', `${error.message}${info.componentStack ?? ''}`);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div role="alert" className="panel error">
        <h2>This page failed</h2>
        <p>{this.state.error.message}</p>
        <p>Your data is untouched. Reload the page, or go to another stage.</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
