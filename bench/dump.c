/*
 * The floor for a dump: a minimal C program that sends the same dump request
 * as nlink (routes: IPv4 main table; links: every link with VF info; addrs:
 * IPv4 addresses) and counts the replies without decoding them. bench/main.ts
 * compiles it (when a C compiler is present) and runs it inside the benchmark
 * namespace. Prints the count and the median milliseconds of several dumps
 * on one socket, after a first one (warm, as nlink's steady-state figures).
 *
 *   dump route|link|addr
 */
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Timed dumps (the median is printed). */
#define RUNS 7

/* A dump request: the netlink header, the family's header, at most one u32 attribute. */
union request {
	struct nlmsghdr n;
	char bytes[128];
};

/* Appends a u32 attribute at the end of the message. */
static void put_u32(struct nlmsghdr *n, unsigned short type, unsigned int value)
{
	struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(sizeof(value));
	memcpy(RTA_DATA(a), &value, sizeof(value));
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Fills the request for `what`; returns its length, or 0 for an unknown one. */
static unsigned int build(union request *req, const char *what)
{
	struct nlmsghdr *n = &req->n;

	memset(req, 0, sizeof(*req));
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	n->nlmsg_seq = 1;
	if (strcmp(what, "route") == 0) {
		struct rtmsg *r = NLMSG_DATA(n);

		n->nlmsg_type = RTM_GETROUTE;
		n->nlmsg_len = NLMSG_LENGTH(sizeof(*r));
		r->rtm_family = AF_INET;
		put_u32(n, RTA_TABLE, RT_TABLE_MAIN);
	} else if (strcmp(what, "link") == 0) {
		struct ifinfomsg *i = NLMSG_DATA(n);

		n->nlmsg_type = RTM_GETLINK;
		n->nlmsg_len = NLMSG_LENGTH(sizeof(*i));
		i->ifi_family = AF_PACKET;
		put_u32(n, IFLA_EXT_MASK, RTEXT_FILTER_VF);
	} else if (strcmp(what, "addr") == 0) {
		struct ifaddrmsg *a = NLMSG_DATA(n);

		n->nlmsg_type = RTM_GETADDR;
		n->nlmsg_len = NLMSG_LENGTH(sizeof(*a));
		a->ifa_family = AF_INET;
	} else {
		return 0;
	}
	return n->nlmsg_len;
}

/* One dump on `fd`: the number of messages, or -1. */
static long dump(int fd, const union request *req, unsigned int len)
{
	static char buf[1 << 16];
	long count = 0;

	if (send(fd, req, len, 0) < 0) {
		perror("send");
		return -1;
	}
	for (;;) {
		int n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0) {
			perror("recv");
			return -1;
		}
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				return count;
			count++;
		}
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static union request req;
	double ms[RUNS];
	long count = 0;
	unsigned int len = build(&req, argc > 1 ? argv[1] : "route");
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (len == 0) {
		fprintf(stderr, "usage: dump route|link|addr\n");
		return 2;
	}
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	/* A first dump warms the path, as nlink's steady-state figures are warm. */
	if (dump(fd, &req, len) < 0)
		return 1;
	for (int i = 0; i < RUNS; i++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		count = dump(fd, &req, len);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (count < 0)
			return 1;
		ms[i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	qsort(ms, RUNS, sizeof(ms[0]), by_value);
	printf("%ld %.3f\n", count, ms[RUNS / 2]);
	return 0;
}
