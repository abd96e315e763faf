# Sourced by the ./fixres and ./fixres-spark launchers: the environment libtorch must find when it loads
# (it reads these once). A caller's own settings win.
# OpenMP threads that reach a barrier sleep instead of spinning: two fixres processes (or Spark tasks) on
# 2 cores then each keep 43-71% of their solo speed instead of 16-21% (docs/performance.md, "Two
# processes at once"); alone, the difference is within this VM's run-to-run noise.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# Tensors' memory: glibc's malloc maps and unmaps every large tensor, so each batch page-faults its
# activations back in (30-50% kernel time, 3-6x slower forwards; docs/performance.md). tcmalloc keeps
# them; without it, fixed glibc thresholds keep most. FIXRES_MALLOC=system leaves the process alone.
if [ "${FIXRES_MALLOC:-}" != system ] && [ -z "${LD_PRELOAD:-}" ]; then
  for lib in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4 \
             /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4; do
    if [ -f "$lib" ]; then export LD_PRELOAD="$lib"; break; fi
  done
  if [ -z "${LD_PRELOAD:-}" ]; then
    export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
  fi
fi
# The JVM heap on transparent huge pages when the kernel offers them to applications that ask (madvise or
# always): a kept evaluation copies the last block's activations to the heap (1.5 GB at 48 px), and each
# 4 KB page faulting in costs microseconds on a VM; in 2 MB pages Table 4's stage ran 7% faster and the
# quick profile 5% (docs/performance.md). The launchers add it to their default JVM options only.
fixres_heap_pages=""
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  fixres_heap_pages="-XX:+UseTransparentHugePages"
fi
