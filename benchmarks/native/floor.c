/*
 * The native floor of the anchors benchmark: what supervising N longruns costs a minimal C program.
 *
 * Usage: floor SERVICES N [hold]
 *   Spawns SERVICES/s0/run .. SERVICES/s{N-1}/run the way rc's spawner does (posix_spawn, new
 *   session, empty signal mask, default dispositions, stdin /dev/null, stdout and stderr to two
 *   pipes whose read ends this program keeps open, cwd the service dir). With "hold", it then
 *   waits for one line on stdin (the caller measures it from outside meanwhile). Then:
 *   restart: 200 times, SIGKILL a settled child, reap it with a blocking waitpid, respawn it,
 *   and wait until the new child runs `sleep` (its /proc comm, polled every 0.2 ms);
 *   stop: SIGTERM then SIGCONT to every child, then reap them all.
 *   Prints one JSON object on stdout; exits 0, or 1 with a message on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RESTARTS 200

extern char **environ;

struct child {
  pid_t pid;
  int out; /* read end of the stdout pipe */
  int err; /* read end of the stderr pipe */
};

static const char *services;
static struct child *kids;
static posix_spawnattr_t attr;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what) {
  fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* Session, empty mask, every signal back to its default: the attribute every spawn shares. */
static void make_attr(void) {
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  if (posix_spawnattr_init(&attr) != 0) die("posix_spawnattr_init");
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

/* Spawn service i: two O_CLOEXEC pipes, the write ends dup'ed onto 1 and 2 in the child, then closed here. */
static void spawn_one(int i) {
  char dir[4096], run[4200];
  int out[2], err[2];
  snprintf(dir, sizeof dir, "%s/s%d", services, i);
  snprintf(run, sizeof run, "%s/run", dir);
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) die("pipe2");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addchdir_np(&fa, dir);
  char *argv[] = {run, NULL};
  int rc = posix_spawn(&kids[i].pid, run, &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    errno = rc;
    die(run);
  }
  close(out[1]);
  close(err[1]);
  kids[i].out = out[0];
  kids[i].err = err[0];
}

/* True once the process runs `sleep` (the run script exec'd it). */
static int runs_sleep(pid_t pid) {
  char path[64], comm[64] = "";
  snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  int ok = fgets(comm, sizeof comm, f) != NULL && strcmp(comm, "sleep\n") == 0;
  fclose(f);
  return ok;
}

static void wait_sleep(pid_t pid) {
  const struct timespec tick = {0, 200000};
  while (!runs_sleep(pid)) nanosleep(&tick, NULL);
}

static double pss_mib(void) {
  char line[256];
  double kb = -1;
  FILE *f = fopen("/proc/self/smaps_rollup", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "Pss: %lf kB", &kb) == 1) break;
  fclose(f);
  return kb / 1024;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The sample at fraction p of the sorted samples (the same rule as benchmarks/supervise.ts). */
static double pct(double *xs, int n, double p) {
  qsort(xs, n, sizeof *xs, cmp);
  int k = (int)(n * p);
  return xs[k < n ? k : n - 1];
}

/* Raise the descriptor limit to its hard maximum: two pipe ends are kept per child. */
static void raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: floor SERVICES N [hold]\n");
    return 100;
  }
  services = argv[1];
  int n = atoi(argv[2]);
  if (n < 1) {
    fprintf(stderr, "floor: N must be at least 1, got %s\n", argv[2]);
    return 100;
  }
  raise_nofile();
  make_attr();
  kids = calloc(n, sizeof *kids);
  if (!kids) die("calloc");

  double t0 = now_ms();
  for (int i = 0; i < n; i++) spawn_one(i);
  double spawned = now_ms() - t0;
  for (int i = 0; i < n; i++) wait_sleep(kids[i].pid);
  double running = now_ms() - t0;

  if (argc > 3 && strcmp(argv[3], "hold") == 0) {
    char line[16];
    if (!fgets(line, sizeof line, stdin)) die("reading the go-on line");
  }
  double pss = pss_mib();

  /* Restart: kill, blocking reap, respawn; two times: to posix_spawn's return, and to `sleep` running. */
  double to_spawn[RESTARTS], to_sleep[RESTARTS];
  for (int k = 0; k < RESTARTS; k++) {
    int i = k % n;
    wait_sleep(kids[i].pid);
    double t = now_ms();
    kill(kids[i].pid, SIGKILL);
    if (waitpid(kids[i].pid, NULL, 0) < 0) die("waitpid");
    close(kids[i].out);
    close(kids[i].err);
    spawn_one(i);
    to_spawn[k] = now_ms() - t;
    wait_sleep(kids[i].pid);
    to_sleep[k] = now_ms() - t;
  }
  for (int i = 0; i < n; i++) wait_sleep(kids[i].pid);

  /* Stop all: SIGTERM + SIGCONT to each (as a supervisor's down does), then reap every one. */
  double t1 = now_ms();
  for (int i = 0; i < n; i++) {
    kill(kids[i].pid, SIGTERM);
    kill(kids[i].pid, SIGCONT);
  }
  int reaped = 0;
  for (int i = 0; i < n; i++)
    if (waitpid(kids[i].pid, NULL, 0) == kids[i].pid) reaped++;
  double stop = now_ms() - t1;
  for (int i = 0; i < n; i++) {
    close(kids[i].out);
    close(kids[i].err);
  }

  printf("{\"n\":%d,\"start_spawned_ms\":%.3f,\"start_running_ms\":%.3f,\"restarts\":%d,"
         "\"restart_p50_ms\":%.3f,\"restart_p95_ms\":%.3f,\"respawn_p50_ms\":%.3f,"
         "\"stop_all_ms\":%.3f,\"reaped\":%d,\"pss_mib\":%.3f}\n",
         n, spawned, running, RESTARTS, pct(to_sleep, RESTARTS, 0.5), pct(to_sleep, RESTARTS, 0.95),
         pct(to_spawn, RESTARTS, 0.5), stop, reaped, pss);
  return 0;
}
