/** Partner Center deprovisions a suspended (legacy) subscription this many days after suspension. */
export const DEPROVISION_AFTER_DAYS = 120;
