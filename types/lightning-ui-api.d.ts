/**
 * Types for `lightning/uiObjectInfoApi`, which `@salesforce/lightning-types` 0.8 does not cover. Shapes follow the
 * UI API responses (Object Info, Picklist Values) trimmed to the members this product reads. Wire adapters deliver
 * `{ data?, error? }`, so `@wire` members are typed with `WireResult<T>`.
 */
declare module 'lightning/uiObjectInfoApi' {
    import type { WireAdapterConstructor } from 'lwc';

    export interface WireResult<T> {
        data?: T;
        error?: unknown;
    }

    export interface FieldInfo {
        apiName: string;
        label: string;
        dataType: string;
        custom: boolean;
        createable?: boolean;
        updateable?: boolean;
        nameField?: boolean;
        controllerName?: string | null;
        dependentFields?: Record<string, unknown>;
        [extra: string]: unknown;
    }

    export interface RecordTypeInfo {
        available: boolean;
        defaultRecordTypeMapping: boolean;
        master: boolean;
        name: string;
        recordTypeId: string;
    }

    export interface ObjectInfo {
        apiName: string;
        label: string;
        labelPlural: string;
        defaultRecordTypeId: string;
        fields: Record<string, FieldInfo>;
        recordTypeInfos: Record<string, RecordTypeInfo>;
        [extra: string]: unknown;
    }

    export interface PicklistValue {
        attributes: Record<string, unknown> | null;
        label: string;
        validFor: number[];
        value: string;
    }

    export interface PicklistValues {
        controllerValues: Record<string, number>;
        defaultValue: PicklistValue | null;
        eTag?: string;
        url: string;
        values: PicklistValue[];
    }

    export interface PicklistValuesByRecordType {
        eTag?: string;
        picklistFieldValues: Record<string, PicklistValues>;
    }

    export const getObjectInfo: WireAdapterConstructor<{ objectApiName: string }, WireResult<ObjectInfo>>;
    export const getObjectInfos: WireAdapterConstructor<
        { objectApiNames: string[] },
        WireResult<{ results: { result: ObjectInfo; statusCode: number }[] }>
    >;
    export const getPicklistValues: WireAdapterConstructor<
        { recordTypeId: string; fieldApiName: string },
        WireResult<PicklistValues>
    >;
    export const getPicklistValuesByRecordType: WireAdapterConstructor<
        { objectApiName: string; recordTypeId: string },
        WireResult<PicklistValuesByRecordType>
    >;
}
