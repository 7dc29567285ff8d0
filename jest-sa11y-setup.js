// Registers @sa11y/jest's toBeAccessible() matcher (axe-core rules as Salesforce applies them).
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
