#!/bin/sh
# The guest's /init (PID 1) for `deno task test:vm`: mounts the host's 9p
# shares, runs the command the host asked for, writes its exit code back and
# powers off. Everything run-specific comes from /ctl/env (written by the
# host), so this file is the same on every run and lives in the cached
# initramfs. If this script stops before writing /ctl/exit-code, the host
# reports that the guest gave no result.

# The kernel tests run iproute2 by name (`ip -n …`, `ip netns exec …`, `tc …`):
# it is in /usr/sbin, and /bin has no busybox ip/tc applets to shadow it. /bin/sh
# is dash, since busybox's sh runs its own applets ahead of $PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

die() {
  echo "nlink-vm guest: $*" >&2
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# /var/run is a link to /run: named namespaces are bind-mounted in /var/run/netns.
mount -t tmpfs tmpfs /run

cat >/etc/modprobe.d/nlink-vm.conf <<'EOF'
# These modules would otherwise create dummy0 / bond0 as they load.
options dummy numdummies=0
options bonding max_bonds=0
EOF

# The initramfs carries only the modules that 9p over virtio needs, in load order.
while read -r module; do
  insmod "/boot-modules/$module" || die "insmod $module failed"
done </boot-modules/order

# share TAG MOUNTPOINT OPTIONS
share() {
  mkdir -p "$2" && mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,$3" "$1" "$2" ||
    die "cannot mount the host's $1 share at $2"
}
share ctl /ctl cache=none
# shellcheck disable=SC1091 # written by the host for this run
. /ctl/env
# Read-only shares may cache freely: nothing changes them during a run.
share modules /lib/modules ro,cache=loose
share repo "$NLINK_VM_REPO" ro,cache=loose
share deno "${NLINK_VM_DENO%/*}" ro,cache=loose
# Deno's cache is read-only to the guest, under a tmpfs overlay: its SQLite
# databases cannot work over 9p (WAL needs shared memory maps), and deno
# deletes a database it cannot open. The host type-checks before booting, so
# the guest finds what it needs already there; what it adds is thrown away.
share denodir /mnt/denodir ro,cache=loose
modprobe overlay || die "modprobe overlay failed"
mkdir -p /tmp/denodir/upper /tmp/denodir/work "$NLINK_VM_DENO_DIR"
mount -t overlay overlay -o lowerdir=/mnt/denodir,upperdir=/tmp/denodir/upper,workdir=/tmp/denodir/work \
  "$NLINK_VM_DENO_DIR" || die "cannot mount the overlay on $NLINK_VM_DENO_DIR"

# Fallback tunnels (gre0, gretap0, erspan0, tunl0, sit0, ip6tnl0…) would
# appear in every namespace once their module loads, including the tests'
# fresh ones, which count their links.
sysctl -qw net.core.fb_tunnels_only_for_init_net=2
ip link set lo up

cd "$NLINK_VM_REPO" || die "no $NLINK_VM_REPO"
echo "nlink-vm guest: up after $(cut -d' ' -f1 /proc/uptime) s, kernel $(uname -r): deno $*"
HOME=/root DENO_DIR="$NLINK_VM_DENO_DIR" DENO_NO_UPDATE_CHECK=1 "$NLINK_VM_DENO" "$@"
echo "$?" >/ctl/exit-code
sync
umount /ctl
poweroff -f
