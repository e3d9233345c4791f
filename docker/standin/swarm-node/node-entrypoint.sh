#!/bin/sh
# Starts the node's own dockerd. The node container runs without --privileged (on these machines
# runc cannot apply the full capability set: the host's bounding set lacks CAP_SYS_RESOURCE), so
# Docker mounts /sys and the cgroup hierarchies read-only; the inner engine must create cgroups and
# bridges, so they are made writable again here (the container has CAP_SYS_ADMIN for that).
set -eu
mount -o remount,rw /sys 2>/dev/null || true
for hierarchy in /sys/fs/cgroup /sys/fs/cgroup/*; do
    [ -d "$hierarchy" ] && mount -o remount,bind,rw "$hierarchy" 2>/dev/null || true
done
# A node started again after `docker kill` keeps its disk: a stale pid file would stop dockerd.
rm -f /var/run/docker.pid /run/docker/containerd/containerd.pid
exec dockerd --host unix:///var/run/docker.sock "$@"
