/**
 * In-process stand-ins for the n8n-nodes-base nodes the example workflows start with
 * (Manual Trigger, Schedule Trigger and Read/Write Files from Disk). n8n-nodes-base is not a dependency (it is
 * the whole n8n node library); the end-to-end tests run the same workflows in the real n8n
 * with the real nodes. Only what the examples use is implemented.
 */
export { ManualTriggerStandIn, ScheduleTriggerStandIn } from './triggers';
export { ReadWriteFileStandIn } from './readWriteFile';
