/** How the store's refusals and undo blockers word values, names and counts for the admins who read them. */

/** A value or name in quotes, cut to about 80 characters so that a detail stays readable. */
export function quoted(text: string): string {
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export function plural(count: number, one: string, many = `${one}s`): string {
    return `${count} ${count === 1 ? one : many}`;
}

/** A count as people read it: 1,000. */
export function figure(count: number): string {
    return count.toLocaleString('en-US');
}
