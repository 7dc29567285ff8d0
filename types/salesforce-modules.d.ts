/**
 * Platform modules resolved by the Salesforce compiler at deploy time: custom permissions and labels. Each import
 * is a value the platform injects, so they are declared by wildcard here; the Apex methods have exact signatures
 * in apex.d.ts.
 */
declare module '@salesforce/customPermission/*' {
    /** True when the running user has the custom permission, undefined otherwise. */
    const hasPermission: boolean | undefined;
    export default hasPermission;
}

declare module '@salesforce/label/*' {
    const label: string;
    export default label;
}

declare module '@salesforce/user/Id' {
    const userId: string;
    export default userId;
}
