/**
 * What Lightning Web Security blocks that its ESLint rules do not see, checked on what the platform runs (the
 * emitted .js and the .html of every bundle):
 *
 * - No `data:` URL in an `href` or `src`: LWS blocks `data:` URIs in anchors and wants a Blob behind a `blob:` URL
 *   (https://developer.salesforce.com/docs/platform/lightning-components-security/guide/lws-blob-download.html).
 *   In templates: a literal `href="data:..."`, or `href={x}` where the component's `x` (getter, field initializer
 *   or `this.x = ...`) can hold a `data:` URL. In script: an assignment to `.href`/`.src`, or
 *   `setAttribute('href'|'src', ...)`, with a `data:` URL. A value "can hold a `data:` URL" when it is a string or
 *   template literal starting with `data:`, a concatenation starting with one, a constant holding one, or a call of a
 *   function (of this module or imported from another bundle) that returns one.
 * - Blob and File MIME types only from the LWS allow-list, with no parameters such as `;charset=`; the type must be
 *   given and readable here (a literal or a constant), since LWS does not create Blobs of other types.
 *
 * The JavaScript is parsed with Babel's parser (the one ESLint's Babel parser wraps), the templates with the LWC
 * template compiler's own parser, so a binding is read exactly as the platform reads it.
 *
 * Usage: tsx scripts/check-lws-usage.ts [lwc-folder]
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parse as parseJavaScript } from '@babel/parser';
import type * as Babel from '@babel/types';
import { parse as parseTemplate } from '@lwc/template-compiler';
import type { ChildNode, ElseBlock, ElseifBlock, Expression as TemplateExpression, Root } from '@lwc/template-compiler';
import { ROOT } from './lib/exec.ts';

/** Where the allow-list below comes from. */
export const LWS_MIME_DOC = 'https://developer.salesforce.com/docs/platform/lwc/guide/security-lwsec-mime.html';

/** The MIME types LWS creates Blobs of, exactly as the page above lists them. */
export const LWS_ALLOWED_MIME_TYPES: readonly string[] = [
    'application/octet-stream',
    'application/json',
    'application/pdf',
    'text/plain',
    'text/markdown',
    'application/zip',
    'application/x-bzip',
    'application/x-rar-compressed',
    'application/x-tar'
];

/** Whole families the page allows ("all video/* mime types", ...). */
export const LWS_ALLOWED_MIME_FAMILIES: readonly string[] = ['video/', 'audio/', 'image/', 'font/'];

const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href']);
const DATA_URL = /^\s*data:/i;

/** A path relative to the repository when inside it (absolute otherwise, e.g. a test's temporary folder). */
export function displayPath(file: string): string {
    const inside = relative(ROOT, file);
    return inside.startsWith('..') ? file : inside;
}

export interface Finding {
    file: string;
    line: number;
    message: string;
}

/** Why a MIME type is refused, or undefined when LWS allows it. */
export function mimeTypeProblem(type: string): string | undefined {
    if (type.includes(';')) {
        return `"${type}" has parameters; LWS does not support MIME type parameters (${LWS_MIME_DOC})`;
    }
    const normalized = type.trim().toLowerCase();
    if (LWS_ALLOWED_MIME_TYPES.includes(normalized)) {
        return undefined;
    }
    if (
        LWS_ALLOWED_MIME_FAMILIES.some((family) => normalized.startsWith(family) && normalized.length > family.length)
    ) {
        return undefined;
    }
    return `"${type}" is not on the LWS Blob MIME allow-list (${LWS_MIME_DOC})`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Babel AST helpers

function isNode(value: unknown): value is Babel.Node {
    return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments']);

/** Calls `visit` for `node` and every node below it, depth first. */
function walk(node: Babel.Node, visit: (node: Babel.Node) => void): void {
    visit(node);
    for (const [key, value] of Object.entries(node)) {
        if (SKIPPED_KEYS.has(key)) {
            continue;
        }
        if (Array.isArray(value)) {
            for (const item of value as unknown[]) {
                if (isNode(item)) {
                    walk(item, visit);
                }
            }
        } else if (isNode(value)) {
            walk(value, visit);
        }
    }
}

function lineOf(node: Babel.Node): number {
    return node.loc?.start.line ?? 0;
}

/** The name of a non-computed member (`a.name`) or a string-keyed one (`a['name']`). */
function memberName(node: Babel.MemberExpression | Babel.OptionalMemberExpression): string | undefined {
    if (!node.computed && node.property.type === 'Identifier') {
        return node.property.name;
    }
    return node.property.type === 'StringLiteral' ? node.property.value : undefined;
}

function keyName(key: Babel.Node): string | undefined {
    if (key.type === 'Identifier') {
        return key.name;
    }
    return key.type === 'StringLiteral' ? key.value : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Modules

interface ModuleInfo {
    file: string;
    /** The specifier other bundles import it by (`c/name`), or undefined for a bundle's inner module. */
    specifier: string | undefined;
    ast: Babel.File;
    /** Local name → where it is imported from (resolved file) and under which exported name. */
    imports: Map<string, { file: string | undefined; name: string }>;
    /** Every `const`/`let`/`var` declared in the file, by name (shadowing ignored: a name is suspect if any is). */
    declarations: Map<string, Babel.Expression[]>;
    /** Functions by local name: declarations and `const f = () => ...`. */
    functions: Map<string, Babel.Function>;
    /** Exported name → local name. */
    exports: Map<string, string>;
}

/** What is known across modules: functions and constants that yield a `data:` URL, string constants. */
interface Knowledge {
    modules: Map<string, ModuleInfo>;
    dataFunctions: Set<string>;
    dataConstants: Set<string>;
}

const key = (file: string, name: string): string => `${file}#${name}`;

function parseModule(file: string, source: string): Babel.File {
    return parseJavaScript(source, {
        sourceType: 'module',
        sourceFilename: file,
        plugins: [['decorators', { decoratorsBeforeExport: false }]]
    });
}

function resolveImport(lwcDir: string, fromFile: string, source: string): string | undefined {
    const bundleImport = /^c\/([A-Za-z0-9_]+)$/.exec(source);
    if (bundleImport) {
        const name = bundleImport[1] ?? '';
        return join(lwcDir, name, `${name}.js`);
    }
    if (source.startsWith('./') || source.startsWith('../')) {
        const path = join(dirname(fromFile), source);
        return path.endsWith('.js') ? path : `${path}.js`;
    }
    return undefined;
}

function readModule(lwcDir: string, file: string): ModuleInfo {
    const ast = parseModule(file, readFileSync(file, 'utf8'));
    const bundle = basename(dirname(file));
    const info: ModuleInfo = {
        file,
        specifier: basename(file) === `${bundle}.js` ? `c/${bundle}` : undefined,
        ast,
        imports: new Map(),
        declarations: new Map(),
        functions: new Map(),
        exports: new Map()
    };
    for (const statement of ast.program.body) {
        if (statement.type === 'ImportDeclaration') {
            const from = resolveImport(lwcDir, file, statement.source.value);
            for (const specifier of statement.specifiers) {
                const imported =
                    specifier.type === 'ImportSpecifier'
                        ? specifier.imported.type === 'Identifier'
                            ? specifier.imported.name
                            : specifier.imported.value
                        : 'default';
                info.imports.set(specifier.local.name, { file: from, name: imported });
            }
        }
        const declaration =
            statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
                ? statement.declaration
                : statement;
        if (statement.type === 'ExportNamedDeclaration') {
            for (const specifier of statement.specifiers) {
                if (specifier.type === 'ExportSpecifier') {
                    const exported =
                        specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
                    info.exports.set(exported, specifier.local.name);
                }
            }
        }
        if (declaration?.type === 'FunctionDeclaration' && declaration.id) {
            info.functions.set(declaration.id.name, declaration);
            if (statement.type !== declaration.type) {
                info.exports.set(
                    statement.type === 'ExportDefaultDeclaration' ? 'default' : declaration.id.name,
                    declaration.id.name
                );
            }
        }
        if (declaration?.type === 'VariableDeclaration' && statement.type === 'ExportNamedDeclaration') {
            for (const declarator of declaration.declarations) {
                if (declarator.id.type === 'Identifier') {
                    info.exports.set(declarator.id.name, declarator.id.name);
                }
            }
        }
    }
    walk(ast, (node) => {
        if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
            const list = info.declarations.get(node.id.name) ?? [];
            list.push(node.init);
            info.declarations.set(node.id.name, list);
            if (node.init.type === 'ArrowFunctionExpression' || node.init.type === 'FunctionExpression') {
                info.functions.set(node.id.name, node.init);
            }
        }
    });
    return info;
}

/** The module and name an identifier of `module` finally refers to (following imports). */
function origin(knowledge: Knowledge, module: ModuleInfo, name: string): { file: string; name: string } | undefined {
    const imported = module.imports.get(name);
    if (!imported) {
        return { file: module.file, name };
    }
    if (!imported.file) {
        return undefined;
    }
    const target = knowledge.modules.get(imported.file);
    const local = target?.exports.get(imported.name);
    return target && local ? { file: target.file, name: local } : undefined;
}

/** Whether an expression of `module` can evaluate to a `data:` URL. */
function yieldsDataUrl(knowledge: Knowledge, module: ModuleInfo, node: Babel.Node): boolean {
    switch (node.type) {
        case 'StringLiteral':
            return DATA_URL.test(node.value);
        case 'TemplateLiteral':
            return DATA_URL.test(node.quasis[0]?.value.cooked ?? node.quasis[0]?.value.raw ?? '');
        case 'BinaryExpression':
            return node.operator === '+' && yieldsDataUrl(knowledge, module, node.left);
        case 'ConditionalExpression':
            return (
                yieldsDataUrl(knowledge, module, node.consequent) || yieldsDataUrl(knowledge, module, node.alternate)
            );
        case 'LogicalExpression':
            return yieldsDataUrl(knowledge, module, node.left) || yieldsDataUrl(knowledge, module, node.right);
        case 'AwaitExpression':
            return yieldsDataUrl(knowledge, module, node.argument);
        case 'ParenthesizedExpression':
            return yieldsDataUrl(knowledge, module, node.expression);
        case 'Identifier': {
            const target = origin(knowledge, module, node.name);
            return target !== undefined && knowledge.dataConstants.has(key(target.file, target.name));
        }
        case 'CallExpression':
        case 'OptionalCallExpression': {
            if (node.callee.type !== 'Identifier') {
                return false;
            }
            const target = origin(knowledge, module, node.callee.name);
            return target !== undefined && knowledge.dataFunctions.has(key(target.file, target.name));
        }
        default:
            return false;
    }
}

/** The expressions a function returns (an arrow's expression body included; nested functions excluded). */
function returnedExpressions(fn: Babel.Function): Babel.Expression[] {
    if (fn.body.type !== 'BlockStatement') {
        return [fn.body];
    }
    const returned: Babel.Expression[] = [];
    const visit = (node: Babel.Node): void => {
        if (node.type === 'ReturnStatement' && node.argument) {
            returned.push(node.argument);
            return;
        }
        if (
            node !== fn.body &&
            (node.type === 'FunctionDeclaration' ||
                node.type === 'FunctionExpression' ||
                node.type === 'ArrowFunctionExpression')
        ) {
            return;
        }
        for (const [name, value] of Object.entries(node)) {
            if (SKIPPED_KEYS.has(name)) continue;
            for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
                if (isNode(child)) visit(child);
            }
        }
    };
    visit(fn.body);
    return returned;
}

/** Finds, to a fixed point, every constant and function of every module that yields a `data:` URL. */
function learn(knowledge: Knowledge): void {
    let changed = true;
    while (changed) {
        changed = false;
        for (const module of knowledge.modules.values()) {
            for (const [name, inits] of module.declarations) {
                const id = key(module.file, name);
                if (!knowledge.dataConstants.has(id) && inits.some((init) => yieldsDataUrl(knowledge, module, init))) {
                    knowledge.dataConstants.add(id);
                    changed = true;
                }
            }
            for (const [name, fn] of module.functions) {
                const id = key(module.file, name);
                if (
                    !knowledge.dataFunctions.has(id) &&
                    returnedExpressions(fn).some((expression) => yieldsDataUrl(knowledge, module, expression))
                ) {
                    knowledge.dataFunctions.add(id);
                    changed = true;
                }
            }
        }
    }
}

/** Whether any expression inside `node` yields a `data:` URL (for values built in a getter, e.g. rows of links). */
function containsDataUrl(knowledge: Knowledge, module: ModuleInfo, node: Babel.Node): boolean {
    let found = false;
    walk(node, (inner) => {
        found ||= yieldsDataUrl(knowledge, module, inner);
    });
    return found;
}

/** A string an expression certainly is (a literal, or a constant holding one), else undefined. */
function stringValue(knowledge: Knowledge, module: ModuleInfo, node: Babel.Node): string | undefined {
    if (node.type === 'StringLiteral') {
        return node.value;
    }
    if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
        return node.quasis[0]?.value.cooked ?? undefined;
    }
    if (node.type === 'Identifier') {
        const target = origin(knowledge, module, node.name);
        const targetModule = target ? knowledge.modules.get(target.file) : undefined;
        const inits = target ? targetModule?.declarations.get(target.name) : undefined;
        if (targetModule && inits?.length === 1 && inits[0]) {
            return stringValue(knowledge, targetModule, inits[0]);
        }
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Script rules

function checkScript(knowledge: Knowledge, module: ModuleInfo, report: (line: number, message: string) => void): void {
    walk(module.ast, (node) => {
        // anchor.href = 'data:...'
        if (
            node.type === 'AssignmentExpression' &&
            (node.left.type === 'MemberExpression' || node.left.type === 'OptionalMemberExpression')
        ) {
            const name = memberName(node.left);
            if (name !== undefined && URL_ATTRIBUTES.has(name) && yieldsDataUrl(knowledge, module, node.right)) {
                report(
                    lineOf(node),
                    `sets .${name} to a data: URL, which LWS blocks; use a Blob and URL.createObjectURL`
                );
            }
        }
        if (node.type !== 'CallExpression' && node.type !== 'NewExpression') {
            return;
        }
        // element.setAttribute('href', 'data:...')
        const callee = node.callee;
        if (
            node.type === 'CallExpression' &&
            (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
            memberName(callee) === 'setAttribute'
        ) {
            const [attribute, value] = node.arguments;
            const attributeName = attribute ? stringValue(knowledge, module, attribute) : undefined;
            if (
                attributeName !== undefined &&
                URL_ATTRIBUTES.has(attributeName.toLowerCase()) &&
                value &&
                yieldsDataUrl(knowledge, module, value)
            ) {
                report(lineOf(node), `setAttribute('${attributeName}', ...) with a data: URL, which LWS blocks`);
            }
        }
        // new Blob(parts, { type }) and new File(bits, name, { type })
        const constructed =
            callee.type === 'Identifier'
                ? callee.name
                : callee.type === 'MemberExpression'
                  ? memberName(callee)
                  : undefined;
        if (node.type === 'NewExpression' && (constructed === 'Blob' || constructed === 'File')) {
            const options = node.arguments[constructed === 'Blob' ? 1 : 2];
            const where = `new ${constructed}(...)`;
            if (!options) {
                report(
                    lineOf(node),
                    `${where} without a MIME type; LWS requires one from its allow-list (${LWS_MIME_DOC})`
                );
                return;
            }
            if (options.type !== 'ObjectExpression') {
                report(
                    lineOf(node),
                    `${where}: its options are not an object literal, so its MIME type cannot be checked`
                );
                return;
            }
            const typeProperty = options.properties.find(
                (property): property is Babel.ObjectProperty =>
                    property.type === 'ObjectProperty' && keyName(property.key) === 'type'
            );
            if (!typeProperty) {
                report(
                    lineOf(node),
                    `${where} without a MIME type; LWS requires one from its allow-list (${LWS_MIME_DOC})`
                );
                return;
            }
            const type = stringValue(knowledge, module, typeProperty.value);
            if (type === undefined) {
                report(
                    lineOf(node),
                    `${where}: the MIME type is neither a string literal nor a constant holding one, so it cannot be checked`
                );
                return;
            }
            const problem = mimeTypeProblem(type);
            if (problem) {
                report(lineOf(node), `${where}: ${problem}`);
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------------------------------
// Template rules

/** The default-exported component class of a module, if any. */
function componentClass(module: ModuleInfo): Babel.ClassDeclaration | Babel.ClassExpression | undefined {
    for (const statement of module.ast.program.body) {
        if (statement.type === 'ExportDefaultDeclaration') {
            const declaration = statement.declaration;
            if (declaration.type === 'ClassDeclaration' || declaration.type === 'ClassExpression') {
                return declaration;
            }
        }
    }
    return undefined;
}

/** Every expression that gives a class member its value: field initializers, getter returns, `this.name = ...`. */
function memberValues(cls: Babel.ClassDeclaration | Babel.ClassExpression): Map<string, Babel.Expression[]> {
    const values = new Map<string, Babel.Expression[]>();
    const add = (name: string | undefined, value: Babel.Expression): void => {
        if (name === undefined) return;
        values.set(name, [...(values.get(name) ?? []), value]);
    };
    for (const member of cls.body.body) {
        if (member.type === 'ClassProperty' && member.value) {
            add(keyName(member.key), member.value);
        }
        if (member.type === 'ClassMethod' && member.kind === 'get') {
            for (const returned of returnedExpressions(member)) add(keyName(member.key), returned);
        }
    }
    walk(cls, (node) => {
        if (
            node.type === 'AssignmentExpression' &&
            node.left.type === 'MemberExpression' &&
            node.left.object.type === 'ThisExpression'
        ) {
            add(memberName(node.left), node.right);
        }
    });
    return values;
}

/** The component property a template expression starts from, following `for:each` items and `for:of` iterators. */
function rootProperty(expression: TemplateExpression, scopes: Map<string, string | undefined>): string | undefined {
    let node: TemplateExpression = expression;
    while (node.type === 'MemberExpression') {
        const object: unknown = node.object;
        if (!isTemplateExpression(object)) return undefined;
        node = object;
    }
    return scopes.has(node.name) ? scopes.get(node.name) : node.name;
}

function isTemplateExpression(value: unknown): value is TemplateExpression {
    const type = (value as { type?: unknown } | null)?.type;
    return type === 'Identifier' || type === 'MemberExpression';
}

function checkTemplate(
    knowledge: Knowledge,
    module: ModuleInfo | undefined,
    root: Root,
    report: (line: number, message: string) => void
): void {
    const cls = module ? componentClass(module) : undefined;
    const values = cls ? memberValues(cls) : new Map<string, Babel.Expression[]>();
    const visit = (node: ChildNode | Root | ElseifBlock | ElseBlock, scopes: Map<string, string | undefined>): void => {
        let inner = scopes;
        if (node.type === 'ForEach' || node.type === 'ForOf') {
            inner = new Map(scopes);
            const list = rootProperty(node.expression, scopes);
            inner.set(node.type === 'ForEach' ? node.item.name : node.iterator.name, list);
        }
        if ('attributes' in node) {
            for (const attribute of [...node.attributes, ...node.properties]) {
                const name = ('attributeName' in attribute ? attribute.attributeName : attribute.name).toLowerCase();
                if (!URL_ATTRIBUTES.has(name)) continue;
                const line = node.location.startLine;
                const value = attribute.value;
                if (value.type === 'Literal') {
                    if (typeof value.value === 'string' && DATA_URL.test(value.value)) {
                        report(
                            line,
                            `<${node.name} ${name}="data:...">: LWS blocks data: URLs in links; use a Blob URL`
                        );
                    }
                    continue;
                }
                const property = rootProperty(value, inner);
                const sources = property === undefined ? [] : (values.get(property) ?? []);
                if (module && sources.some((source) => containsDataUrl(knowledge, module, source))) {
                    report(
                        line,
                        `<${node.name} ${name}={...}> is bound to ${property ?? '?'}, which can hold a data: URL; ` +
                            'LWS blocks those: build a Blob and use URL.createObjectURL'
                    );
                }
            }
        }
        if ('children' in node) {
            for (const child of node.children) visit(child, inner);
        }
        // lwc:elseif and lwc:else hang off their lwc:if, not among its children.
        if ((node.type === 'IfBlock' || node.type === 'ElseifBlock') && node.else) {
            visit(node.else, scopes);
        }
    };
    visit(root, new Map());
}

// ---------------------------------------------------------------------------------------------------------------------
// The check

/** The emitted .js modules and the templates of every bundle (tests excluded). */
export function bundleFiles(lwcDir: string): { scripts: string[]; templates: string[] } {
    const scripts: string[] = [];
    const templates: string[] = [];
    for (const bundle of readdirSync(lwcDir).sort()) {
        const dir = join(lwcDir, bundle);
        if (!statSync(dir).isDirectory()) continue;
        for (const name of readdirSync(dir).sort()) {
            if (name.endsWith('.js')) scripts.push(join(dir, name));
            if (name.endsWith('.html')) templates.push(join(dir, name));
        }
    }
    return { scripts, templates };
}

export function checkLwsUsage(lwcDir: string = join(ROOT, 'force-app/main/default/lwc')): {
    files: number;
    findings: Finding[];
} {
    const { scripts, templates } = bundleFiles(lwcDir);
    const findings: Finding[] = [];
    const knowledge: Knowledge = { modules: new Map(), dataFunctions: new Set(), dataConstants: new Set() };
    for (const file of scripts) {
        try {
            knowledge.modules.set(file, readModule(lwcDir, file));
        } catch (error) {
            findings.push({ file: displayPath(file), line: 0, message: `cannot parse: ${(error as Error).message}` });
        }
    }
    learn(knowledge);
    for (const module of knowledge.modules.values()) {
        checkScript(knowledge, module, (line, message) => {
            findings.push({ file: displayPath(module.file), line, message });
        });
    }
    for (const file of templates) {
        const { root, warnings } = parseTemplate(readFileSync(file, 'utf8'));
        const report = (line: number, message: string): void => {
            findings.push({ file: displayPath(file), line, message });
        };
        if (!root) {
            report(0, `cannot parse: ${warnings.map((warning) => warning.message).join('; ')}`);
            continue;
        }
        const bundle = basename(dirname(file));
        const componentFile = join(dirname(file), `${bundle}.js`);
        checkTemplate(
            knowledge,
            existsSync(componentFile) ? knowledge.modules.get(componentFile) : undefined,
            root,
            report
        );
    }
    return { files: scripts.length + templates.length, findings };
}

export function formatFinding(finding: Finding): string {
    return `${finding.file}:${finding.line} ${finding.message}`;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    const { files, findings } = checkLwsUsage(process.argv[2]);
    if (findings.length > 0) {
        console.error(`LWS usage check failed:\n  ${findings.map(formatFinding).join('\n  ')}`);
        process.exit(1);
    }
    console.log(`LWS usage check: ${files} files, no data: URL in href/src, every Blob type on the LWS allow-list`);
}
