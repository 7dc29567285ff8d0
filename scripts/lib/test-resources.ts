/**
 * What a test suite's `before` hook starts, closed by its `after` hook whatever happened in between.
 *
 * Why: a `before` hook that fails partway (Chromium missing, PostgreSQL refusing to start) leaves some things
 * started and others not. An `after` hook written as `await browser.close(); await suite.close();` then throws on the
 * first `undefined` and never closes the server the hook did start, whose open socket keeps the test process alive
 * for good. Registering each thing as it starts, and closing them all in reverse order with every failure collected,
 * makes the `after` hook close exactly what was started.
 *
 * @example
 * const resources = new TestResources();
 * before(async () => {
 *     suite = resources.add('preview', await startSuitePreview(), (it) => it.close());
 *     browser = resources.add('Chromium', await launchChromium(), (it) => it.close());
 * });
 * after(() => resources.closeAll());
 */
export class TestResources {
    private readonly closers: { name: string; close: () => unknown }[] = [];

    /** Registers a started resource and returns it, so a hook can assign and register in one line. */
    add<T>(name: string, resource: T, close: (resource: T) => unknown): T {
        this.closers.push({ name, close: () => close(resource) });
        return resource;
    }

    /** Registers a clean-up step that is not a resource (a temporary folder to remove, a variable to restore). */
    defer(name: string, close: () => unknown): void {
        this.closers.push({ name, close });
    }

    /**
     * Closes everything registered, newest first. Every closer runs even when an earlier one fails; the failures are
     * thrown together at the end, each naming what it was closing.
     */
    async closeAll(): Promise<void> {
        const failures: Error[] = [];
        for (let closer = this.closers.pop(); closer; closer = this.closers.pop()) {
            try {
                await closer.close();
            } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                failures.push(new Error(`closing ${closer.name} failed: ${message}`, { cause: error }));
            }
        }
        if (failures.length === 1 && failures[0]) {
            throw failures[0];
        }
        if (failures.length > 1) {
            throw new AggregateError(failures, failures.map((failure) => failure.message).join('; '));
        }
    }
}
