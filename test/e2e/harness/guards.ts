import type { BrowserContext } from 'playwright-core';

/** What the guards record; the arrays are appended to as the page runs. */
export interface Problems {
  consoleErrors: string[];
  blockedRequests: string[];
  cspViolations: string[];
  failedRequests: string[];
}

// The name of the binding the init script calls; unlikely to clash with app code.
const CSP_BINDING = '__e2eReportCspViolation';

// Runs in every document before the app's scripts. Playwright injects it
// through the DevTools protocol, so the page's own CSP does not block it.
function listenForCspViolations(bindingName: string): void {
  document.addEventListener('securitypolicyviolation', (event) => {
    const report = (window as unknown as Record<string, (text: string) => void>)[bindingName];
    report?.(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
  });
}

/**
 * Keeps every request on the machine: anything not addressed to the local
 * server (other hosts, other ports, WebSockets) is aborted and recorded.
 * Also records CSP violations and failed local requests.
 */
export async function installGuards(context: BrowserContext, localOrigin: string, problems: Problems): Promise<void> {
  await context.route(
    () => true,
    async (route) => {
      const requestUrl = route.request().url();
      const protocol = new URL(requestUrl).protocol;
      if (protocol === 'data:' || protocol === 'blob:' || new URL(requestUrl).origin === localOrigin) {
        await route.continue();
        return;
      }
      problems.blockedRequests.push(requestUrl);
      await route.abort('blockedbyclient');
    },
  );
  await context.routeWebSocket(
    () => true,
    (socket) => {
      problems.blockedRequests.push(socket.url());
      void socket.close({ code: 1008, reason: 'browser tests allow no WebSockets' });
    },
  );

  await context.exposeBinding(CSP_BINDING, (_source, text: unknown) => {
    problems.cspViolations.push(String(text));
  });
  await context.addInitScript(listenForCspViolations, CSP_BINDING);

  context.on('requestfailed', (request) => {
    const url = request.url();
    // Aborted by the route above: already recorded as a blocked request.
    if (new URL(url).origin !== localOrigin) return;
    problems.failedRequests.push(`${request.method()} ${url}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400 && new URL(response.url()).origin === localOrigin) {
      problems.failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
    }
  });
}
