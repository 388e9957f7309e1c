-- Sessions of a traced host stream to this machine's relayd at the address the host reaches it by;
-- audit rows say which host an action was for (null: not a host action, or this machine).
ALTER TABLE "Host" ADD COLUMN "relayHost" TEXT;
ALTER TABLE "AuditEntry" ADD COLUMN "host" TEXT;
