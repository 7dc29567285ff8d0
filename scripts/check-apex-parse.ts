/**
 * Parses every Apex class and trigger in the package with @apexdevtools/apex-parser, the grammar Salesforce's own
 * tooling uses, and reports each syntax error as `file:line:column message`. Catches what an org would reject at
 * deploy time without needing an org. (Semantics, such as unknown types, need the platform compiler.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { ROOT } from './lib/exec.ts';

class CollectingListener extends ApexErrorListener {
    readonly errors: { line: number; column: number; message: string }[] = [];
    apexSyntaxError(line: number, column: number, message: string): void {
        this.errors.push({ line, column, message });
    }
}

function apexFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            return name === 'node_modules' ? [] : apexFiles(path);
        }
        return /\.(cls|trigger)$/.test(name) ? [path] : [];
    });
}

/** Syntax errors of one Apex source; `kind` says which grammar entry point applies. */
export function parseApex(
    source: string,
    kind: 'class' | 'trigger'
): { line: number; column: number; message: string }[] {
    const listener = new CollectingListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    if (kind === 'trigger') {
        parser.triggerUnit();
    } else {
        parser.compilationUnit();
    }
    return listener.errors;
}

/** Every syntax error under `dir`, as `path:line:column message` relative to the repository. */
export function checkApexParse(dir: string): { files: number; errors: string[] } {
    const files = apexFiles(dir);
    const errors = files.flatMap((file) =>
        parseApex(readFileSync(file, 'utf8'), file.endsWith('.trigger') ? 'trigger' : 'class').map(
            (error) => `${relative(ROOT, file)}:${error.line}:${error.column} ${error.message}`
        )
    );
    return { files: files.length, errors };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    const { files, errors } = checkApexParse(join(ROOT, 'force-app'));
    if (errors.length > 0) {
        console.error(`Apex syntax errors:\n  ${errors.join('\n  ')}`);
        process.exit(1);
    }
    console.log(`Apex parse check: ${files} files parse cleanly`);
}
