/*
 * runtime/numa.h — the machine's NUMA topology and the placement plan of a context's pool.
 *
 * Owns: reading the topology (nodes, each node's CPUs and memory) and the pure planner that
 * turns a topology, a thread count and the context's policy (kzg_ctx_options.numa) into a
 * plan: which node each thread runs on and what to do with large tables.
 * May call: common. The pool (runtime/pool.h) applies a plan's threads; the context
 * (setup/ctx.c) makes one and applies its tables' part once the tables exist (setup/place.c:
 * a copy per node written by a worker of that node, or numa_interleave below).
 *
 * Source of the topology: Linux sysfs, /sys/devices/system/node/nodeN/{cpulist,meminfo},
 * read directly. libnuma (numa_num_configured_nodes, numa_node_to_cpus,
 * numa_node_size64) reads these same files; reading them here gives the same answer without
 * a run-time dependency that CI, containers and the installed library would have to carry.
 * Where the directory is absent (not Linux, or a container without /sys) the topology is one
 * node holding every online CPU and the physical memory. The reader takes the root directory
 * as an argument so that a test can point it at a fake tree.
 *
 * Bounds: at most NUMA_MAX_NODES nodes and CPU numbers below NUMA_MAX_CPUS; a tree beyond
 * them, or a cpulist/meminfo that does not parse, is a specific status with a message that
 * names the file and the offending text — never a crash, never a guess.
 */
#ifndef KZGKIT_RUNTIME_NUMA_H
#define KZGKIT_RUNTIME_NUMA_H

#include "common/common.h"

#define NUMA_MAX_NODES 64
#define NUMA_MAX_CPUS 1024
#define NUMA_MAX_THREADS 256 /* = POOL_MAX_THREADS (runtime/pool.h) */
#define NUMA_SYSFS_ROOT "/sys/devices/system/node"

typedef struct numa_cpuset {
    uint64_t bits[NUMA_MAX_CPUS / 64];
} numa_cpuset;

static inline bool numa_cpuset_has(const numa_cpuset *s, unsigned cpu) {
    return cpu < NUMA_MAX_CPUS && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}
unsigned numa_cpuset_count(const numa_cpuset *s);

typedef struct numa_node {
    unsigned id;        /* the kernel's node number (N in nodeN); ids may have gaps */
    unsigned n_cpus;    /* CPUs in `cpus` (0: a memory-only node) */
    uint64_t mem_bytes; /* MemTotal of the node; 0 when its meminfo has none */
    numa_cpuset cpus;
} numa_node;

typedef struct numa_topology {
    unsigned n_nodes;              /* ≥ 1 after a successful read */
    bool from_sysfs;               /* false: the one-node fallback (no node directory) */
    numa_node node[NUMA_MAX_NODES]; /* in increasing id */
} numa_topology;

/* Parses a kernel CPU list ("0-3,8,10-11", optionally ending in a newline; "" or "\n" is the
 * empty set) into *out (zeroed first) and *count. KZG_ERR_BAD_ARG with the byte offset on
 * malformed text (a missing number, a reversed range, trailing junk), KZG_ERR_LENGTH for a
 * CPU number ≥ NUMA_MAX_CPUS; `what` names the source in the message. */
kzg_status numa_cpulist_parse(numa_cpuset *out, unsigned *count, const char *text, const char *what);

/* Formats a set as a CPU list ("0-3,8") into buf (truncated to fit, "..." marking a cut);
 * "" for the empty set. */
void numa_cpulist_format(char *buf, size_t buf_len, const numa_cpuset *s);

/* Reads the topology under `root` (NULL: NUMA_SYSFS_ROOT). A root that does not exist gives
 * the one-node fallback (KZG_OK). Otherwise every nodeN directory is read: KZG_ERR_IO when
 * a cpulist or meminfo cannot be read, KZG_ERR_BAD_ARG when one is malformed, KZG_ERR_LENGTH
 * beyond the bounds above or when no node is found; *t is then the fallback, so that a
 * caller may carry on with it. */
kzg_status numa_topology_read(numa_topology *t, const char *root);

/* The one-node fallback: node 0 with the online CPUs (sysconf) and the physical memory. */
void numa_topology_fallback(numa_topology *t);

/* This machine's topology, read once per process (NUMA_SYSFS_ROOT) and then shared; never
 * NULL. *status (may be NULL) is the status of that one read: on an error the topology is
 * the fallback and *note (may be NULL) the reason. */
const numa_topology *numa_topology_system(kzg_status *status, const char **note);

/* Test hook (never set in production): when non-NULL, numa_topology_system returns it
 * (status KZG_OK) instead of this machine's topology, so that a test can give contexts a
 * fake machine (two nodes on this one's CPUs). Set it only while no context is created. */
extern const numa_topology *numa_topology_override;

/* Nodes that have CPUs. */
unsigned numa_nodes_with_cpus(const numa_topology *t);

/* ---- the placement plan ----------------------------------------------------------------- */

/* The policy values are those of kzg_ctx_options.numa (KZG_NUMA_AUTO/OFF/ON, kzg.h). */

typedef enum numa_tables {
    NUMA_TABLES_SHARED = 0,  /* one copy where it was built (no placement, or one node) */
    NUMA_TABLES_REPLICATE,   /* a copy per node: the table is small next to a node's memory */
    NUMA_TABLES_INTERLEAVE   /* one copy spread page by page over the nodes */
} numa_tables;

/* A table is replicated when it takes at most 1/NUMA_REPLICATE_SHARE of the smallest used
 * node's memory (and the node's memory is known); else interleaved. */
#define NUMA_REPLICATE_SHARE 16

typedef struct numa_plan {
    bool place;           /* false: no placement at all (the rest is zero) */
    const char *why;      /* static text: why (not) placed, e.g. "policy off", "one node" */
    unsigned threads;     /* caller + workers */
    unsigned n_nodes;     /* nodes used: the topology's nodes that have CPUs, in order */
    numa_node node[NUMA_MAX_NODES];
    /* thread_node[i]: index into node[] of thread i (0 = the caller, which the library does
     * not pin: its thread is the program's; workers 1..threads-1 are pinned there). */
    uint8_t thread_node[NUMA_MAX_THREADS];
    numa_tables tables;   /* for tables of table_bytes (0: none); applied by setup/place.c */
    uint64_t table_bytes;
} numa_plan;

/* The plan for `threads` threads (0 counts as 1) under `policy`, with large tables of
 * table_bytes in all (0: none). Pure: the same inputs give the same plan.
 *  - OFF, or threads ≤ 1 (no workers to place): no placement.
 *  - AUTO: placement only with at least 2 nodes that have CPUs.
 *  - ON: placement even on one node (so that a one-node machine runs the same code path).
 * Threads go to nodes in contiguous blocks in proportion to each node's CPUs: thread i to
 * the node that holds position floor((2i+1)·C / 2T) of the C CPUs laid out node by node —
 * the middle of its T-th share, so that two equal nodes split T threads evenly (an odd
 * thread count gives the later node the extra thread).
 * KZG_ERR_BAD_ARG for an unknown policy or threads > NUMA_MAX_THREADS (the plan is then
 * "no placement"). */
kzg_status numa_plan_make(numa_plan *plan, const numa_topology *t, unsigned threads, uint32_t policy,
                          uint64_t table_bytes);

/* The planner's first rule alone, without building a plan: whether `policy` places
 * `threads` threads on topology t, and if not, why (static text). A valid policy is
 * assumed (numa_plan_make checks it). So that a context on one node with the default
 * policy pays a comparison, not a 9 KiB plan. */
bool numa_plan_places(const numa_topology *t, unsigned threads, uint32_t policy, const char **why);

/* One line: "no placement (one node)" or "2 nodes (policy auto, several nodes): node 0 CPUs
 * 0-7 threads 0-3, node 1 CPUs 8-15 threads 4-7". The tables are not in it: what was done
 * with them is the context's to say (setup/place.c), after it has tried. */
void numa_plan_describe(char *buf, size_t buf_len, const numa_plan *plan);

/* The plan's table decision in words: "shared", "replicate per node", "interleave". */
const char *numa_tables_name(numa_tables m);

/* Interleaves the pages of [addr, addr + len) over the plan's nodes: mbind(2) with
 * MPOL_INTERLEAVE and MPOL_MF_MOVE (pages already touched move) on the page-aligned
 * interior of the range (the partial pages at its ends may hold other allocations and keep
 * their policy), called through syscall(SYS_mbind) — no libnuma. Returns 0, or the errno
 * of the refusal: EINVAL (a node the kernel does not have, or a node id beyond the mask),
 * EPERM, ENOSYS (no mbind: not Linux, or a kernel without NUMA). A refusal changes
 * nothing: the memory stays where it is. *bytes (may be NULL): the bytes the policy now
 * covers (0 on a refusal, or when the range holds no whole page). */
int numa_interleave(void *addr, size_t len, const numa_plan *plan, size_t *bytes);

#endif
