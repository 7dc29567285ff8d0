/**
 * Reads the package's Custom Labels (`force-app/main/default/labels/*.labels-meta.xml`) so the preview shows exactly
 * the texts the package ships: the build turns `@salesforce/label/c.<Name>` into these values and the Apex stand-in
 * words its errors with the same labels the Apex controller uses.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const LABELS_DIR = 'force-app/main/default/labels';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references. */
export function decodeXml(text: string): string {
    return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
        if (entity.startsWith('#x')) {
            return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
        }
        if (entity.startsWith('#')) {
            return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
        }
        return ENTITIES[entity] ?? whole;
    });
}

function tag(block: string, name: string): string | undefined {
    // Prettier's XML plugin may break a tag before its `>` (`<value\n        >text</value>`).
    const match = new RegExp(`<${name}\\s*>([\\s\\S]*?)</${name}\\s*>`).exec(block);
    return match?.[1] === undefined ? undefined : decodeXml(match[1]);
}

/** Every Custom Label of the package by full name (`AutoMap_Error_Title` → its en_US value). */
export function readCustomLabels(root: string): Map<string, string> {
    const dir = join(root, LABELS_DIR);
    const labels = new Map<string, string>();
    if (!existsSync(dir)) {
        return labels;
    }
    for (const file of readdirSync(dir)
        .filter((name) => name.endsWith('.labels-meta.xml'))
        .sort()) {
        const xml = readFileSync(join(dir, file), 'utf8');
        for (const block of xml.match(/<labels\s*>[\s\S]*?<\/labels\s*>/g) ?? []) {
            const name = tag(block, 'fullName');
            const value = tag(block, 'value');
            if (name === undefined || value === undefined) {
                throw new Error(`${file}: a <labels> entry has no fullName or no value`);
            }
            labels.set(name, value);
        }
    }
    return labels;
}

/** Fills `{0}`, `{1}`… like Apex's `String.format` does for a label. */
export function formatLabel(template: string, args: readonly string[]): string {
    return template.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}
