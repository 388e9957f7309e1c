-- Host groups (server/fleet/hosts.ts): a host belongs to any number of named groups. Keyed by
-- host name, not a foreign key, because the local host is never stored in "Host".
CREATE TABLE "HostGroupMember" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    CONSTRAINT "HostGroupMember_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "HostGroupMember_host_group_key" ON "HostGroupMember"("host", "group");
CREATE INDEX "HostGroupMember_group_idx" ON "HostGroupMember"("group");

-- A spike rule may record its snapshot on every host of a group (server/spikes/actions.ts).
ALTER TABLE "SpikeRule" ADD COLUMN "hostGroup" TEXT;
