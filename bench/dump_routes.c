/*
 * The floor for a route dump: a minimal C program that asks the kernel for
 * every IPv4 route of the main table and counts the replies without decoding
 * them. bench/main.ts compiles it (when a C compiler is present) and runs it
 * inside the benchmark namespace.
 */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	struct {
		struct nlmsghdr n;
		struct rtmsg r;
		struct rtattr a;
		unsigned int table;
	} req;
	static char buf[1 << 16];
	struct timespec t0, t1;
	long count = 0;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = sizeof(req);
	req.n.nlmsg_type = RTM_GETROUTE;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.n.nlmsg_seq = 1;
	req.r.rtm_family = AF_INET;
	req.a.rta_len = RTA_LENGTH(4);
	req.a.rta_type = RTA_TABLE;
	req.table = RT_TABLE_MAIN;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (send(fd, &req, sizeof(req), 0) < 0) {
		perror("send");
		return 1;
	}
	for (;;) {
		int n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0) {
			perror("recv");
			return 1;
		}
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				goto done;
			count++;
		}
	}
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld %.3f\n", count, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}
