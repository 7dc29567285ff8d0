/**
 * The LWC bundles' references into the rest of the package, checked as an org checks them at deploy time or at the
 * first call:
 *
 * - every `@salesforce/label/c.Name` a bundle imports is a Custom Label of the package;
 * - every `@salesforce/customPermission/Name` is a custom permission of the package;
 * - every `@salesforce/apex/Class.method` is a `static` `@AuraEnabled` method of a class of the package (read with
 *   @apexdevtools/apex-parser);
 * - every call of such a method passes exactly its parameters: an imperative call passes one object literal, a
 *   `@wire` its config object, and their keys are compared with the Apex parameter names. Apex matches names
 *   case-insensitively, so a key is found whatever its case, but a different spelling is still reported, and so is a
 *   key that names no parameter or a parameter no key names (it would arrive as null).
 *
 * The bundles are read from their TypeScript sources (tests excluded) with the TypeScript parser: imports and object
 * keys are the same in the emitted JavaScript.
 */
import { ApexParserFactory } from '@apexdevtools/apex-parser';
import ts from 'typescript';
import type { PackageFiles } from './check-apex-contract.ts';

/** A static @AuraEnabled method, or any other method of a class (to say why it cannot be called). */
export interface ApexMethod {
    className: string;
    name: string;
    parameters: string[];
    auraEnabled: boolean;
    isStatic: boolean;
}

/** ANTLR's typings declare every child rule present; at run time an absent one (no parameters, a field) is null. */
function optional<T>(child: T): T | null {
    return child;
}

/** Every method of every top-level class, by `class.method` in lower case (Apex names are case-insensitive). */
export function apexMethods(files: PackageFiles): Map<string, ApexMethod[]> {
    const methods = new Map<string, ApexMethod[]>();
    for (const [path, source] of files) {
        if (!path.endsWith('.cls')) continue;
        const parser = ApexParserFactory.createParser(source);
        // A syntax error is the parse check's to report; this check reads what parses.
        parser.removeErrorListeners();
        const type = optional(parser.compilationUnit().typeDeclaration());
        const declaration = type ? optional(type.classDeclaration()) : null;
        if (!declaration) continue;
        const className = declaration.id().getText();
        for (const member of declaration.classBody().classBodyDeclaration_list()) {
            const memberDeclaration = optional(member.memberDeclaration());
            const method = memberDeclaration ? optional(memberDeclaration.methodDeclaration()) : null;
            if (!method) continue;
            const modifiers = member.modifier_list();
            const parameterList = optional(method.formalParameters().formalParameterList());
            const entry: ApexMethod = {
                className,
                name: method.id().getText(),
                parameters: parameterList
                    ? parameterList.formalParameter_list().map((parameter) => parameter.id().getText())
                    : [],
                auraEnabled: modifiers.some((modifier) => {
                    const annotation = optional(modifier.annotation());
                    return annotation !== null && annotation.id().getText().toLowerCase() === 'auraenabled';
                }),
                isStatic: modifiers.some((modifier) => optional(modifier.STATIC()) !== null)
            };
            const key = `${className}.${entry.name}`.toLowerCase();
            methods.set(key, [...(methods.get(key) ?? []), entry]);
        }
    }
    return methods;
}

interface ApexImport {
    specifier: string;
    className: string;
    method: string;
}

function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
    return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/** The keys of an object literal, or why they cannot be read. */
function objectKeys(node: ts.Expression | undefined): { keys: string[]; unreadable?: string } {
    if (!node) {
        return { keys: [] };
    }
    if (!ts.isObjectLiteralExpression(node)) {
        return { keys: [], unreadable: 'its argument is not an object literal' };
    }
    const keys: string[] = [];
    for (const property of node.properties) {
        if (ts.isShorthandPropertyAssignment(property)) {
            keys.push(property.name.text);
        } else if (
            (ts.isPropertyAssignment(property) || ts.isMethodDeclaration(property)) &&
            (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ) {
            keys.push(property.name.text);
        } else {
            return { keys, unreadable: 'its object literal has a spread or computed key' };
        }
    }
    return { keys };
}

/** Names of the package's components of one kind, from the file names. */
function componentNames(files: PackageFiles, pattern: RegExp): Set<string> {
    const names = new Set<string>();
    for (const path of files.keys()) {
        const match = pattern.exec(path);
        if (match?.[1]) names.add(match[1]);
    }
    return names;
}

function labelNames(files: PackageFiles): Set<string> {
    const names = new Set<string>();
    for (const [path, xml] of files) {
        if (!path.endsWith('.labels-meta.xml')) continue;
        for (const match of xml.matchAll(/<fullName\s*>\s*([^<]*?)\s*<\/fullName\s*>/g)) names.add(match[1] ?? '');
    }
    return names;
}

/** Compares the keys a call passes with the method's parameters. */
function compareParameters(where: string, method: ApexMethod, keys: string[]): string[] {
    const errors: string[] = [];
    const signature = `${method.className}.${method.name}(${method.parameters.join(', ')})`;
    for (const key of keys) {
        const parameter = method.parameters.find((name) => name.toLowerCase() === key.toLowerCase());
        if (parameter === undefined) {
            errors.push(`${where} passes ${key}, which is not a parameter of ${signature}`);
        } else if (parameter !== key) {
            errors.push(
                `${where} passes ${key}; the parameter is spelt ${parameter} in ${signature} ` +
                    '(Apex ignores the case, but keep one spelling)'
            );
        }
    }
    for (const parameter of method.parameters) {
        if (!keys.some((key) => key.toLowerCase() === parameter.toLowerCase())) {
            errors.push(`${where} passes no ${parameter} to ${signature}: it would arrive as null`);
        }
    }
    return errors;
}

/** Every reference problem of the LWC sources in `files` (paths ending in `.ts` under an `lwc/` folder). */
export function checkLwcReferences(files: PackageFiles): string[] {
    const errors: string[] = [];
    const labels = labelNames(files);
    const customPermissions = componentNames(files, /\/customPermissions\/([^/]+)\.customPermission-meta\.xml$/);
    const methods = apexMethods(files);

    for (const [path, source] of files) {
        if (!/\/lwc\/[^/]+\/[^/]+\.ts$/.test(path) || path.endsWith('.d.ts') || path.includes('/__tests__/')) continue;
        const sourceFile = ts.createSourceFile(path, source, ts.ScriptTarget.ESNext, true);
        const apexImports = new Map<string, ApexImport>();

        for (const statement of sourceFile.statements) {
            if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
            const specifier = statement.moduleSpecifier.text;
            const where = `${path}:${lineOf(sourceFile, statement)}`;
            const label = /^@salesforce\/label\/c\.(.+)$/.exec(specifier)?.[1];
            if (label !== undefined && !labels.has(label)) {
                errors.push(`${where} imports Custom Label ${label}, which no labels file of the package defines`);
            }
            const permission = /^@salesforce\/customPermission\/(.+)$/.exec(specifier)?.[1];
            if (permission !== undefined && !customPermissions.has(permission)) {
                errors.push(`${where} imports custom permission ${permission}, which is not in the package`);
            }
            const apex = /^@salesforce\/apex\/(?:[A-Za-z0-9_]+\.)?([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(specifier);
            if (!apex) continue;
            const [, className = '', method = ''] = apex;
            const candidates = methods.get(`${className}.${method}`.toLowerCase()) ?? [];
            const callable = candidates.find((candidate) => candidate.auraEnabled && candidate.isStatic);
            if (candidates.length === 0) {
                errors.push(
                    `${where} imports ${specifier}: no class of the package has the method ${className}.${method}`
                );
            } else if (!callable) {
                errors.push(
                    `${where} imports ${specifier}: ${className}.${method} is not a static @AuraEnabled method`
                );
            } else if (candidates.length > 1) {
                errors.push(
                    `${where} imports ${specifier}: ${className}.${method} is overloaded, which @AuraEnabled forbids`
                );
            }
            const local = statement.importClause?.name?.text;
            if (local !== undefined && callable) {
                apexImports.set(local, { specifier, className, method });
            }
        }

        const visit = (node: ts.Node): void => {
            if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
                const imported = apexImports.get(node.expression.text);
                // Imperative call: method({ ... })
                if (imported) {
                    checkCall(node, imported, node.arguments[0], `call of ${imported.method}`);
                }
                // @wire(method, { ... })
                const adapter = node.arguments[0];
                const wired = adapter && ts.isIdentifier(adapter) ? apexImports.get(adapter.text) : undefined;
                if (node.expression.text === 'wire' && ts.isDecorator(node.parent) && wired) {
                    checkCall(node, wired, node.arguments[1], `@wire of ${wired.method}`);
                }
            }
            ts.forEachChild(node, visit);
        };
        const checkCall = (
            node: ts.CallExpression,
            imported: ApexImport,
            argument: ts.Expression | undefined,
            what: string
        ): void => {
            const where = `${path}:${lineOf(sourceFile, node)} ${what}`;
            const method = (methods.get(`${imported.className}.${imported.method}`.toLowerCase()) ?? [])[0];
            if (!method) return;
            const { keys, unreadable } = objectKeys(argument);
            if (unreadable) {
                errors.push(`${where}: ${unreadable}, so its parameter names cannot be checked`);
                return;
            }
            errors.push(...compareParameters(where, method, keys));
        };
        visit(sourceFile);
    }
    return errors;
}
