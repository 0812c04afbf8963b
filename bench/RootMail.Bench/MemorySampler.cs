using System;
using System.Threading;

namespace RootMail.Bench
{
    /// <summary>
    /// Samples this process's memory every few milliseconds while a measured run goes on: the managed heap
    /// (GC.GetTotalMemory(false): live objects plus garbage not yet collected), the managed heap as the latest garbage
    /// collection left it (the sum of GC.GetGCMemoryInfo().GenerationInfo[].SizeAfterBytes: what survived, so what
    /// the run holds on to), and the working set (Environment.WorkingSet: resident memory of the whole process).
    /// Start levels are taken after a full collection.
    /// </summary>
    internal sealed class MemorySampler : IDisposable
    {
        private readonly Thread thread;
        private readonly int intervalMs;
        private volatile bool stop;
        private long peakHeap;
        private long peakWorkingSet;
        private long peakAfterGc;

        private MemorySampler(int intervalMs)
        {
            this.intervalMs = intervalMs;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            StartHeap = GC.GetTotalMemory(true);
            StartWorkingSet = Environment.WorkingSet;
            StartAfterGc = AfterLastGc();
            peakHeap = StartHeap;
            peakWorkingSet = StartWorkingSet;
            peakAfterGc = StartAfterGc;
            thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler", Priority = ThreadPriority.AboveNormal };
            thread.Start();
        }

        public long StartHeap { get; }
        public long StartWorkingSet { get; }
        public long StartAfterGc { get; }
        public long PeakHeap => Interlocked.Read(ref peakHeap);
        public long PeakWorkingSet => Interlocked.Read(ref peakWorkingSet);

        /// <summary>Peak managed heap above the level at the start.</summary>
        public long HeapGrowth => Math.Max(0, PeakHeap - StartHeap);

        /// <summary>Peak heap left by a collection during the run, above the level at the start.</summary>
        public long AfterGcGrowth => Math.Max(0, Interlocked.Read(ref peakAfterGc) - StartAfterGc);

        /// <summary>Peak working set above the level at the start.</summary>
        public long WorkingSetGrowth => Math.Max(0, PeakWorkingSet - StartWorkingSet);

        public static MemorySampler Start(int intervalMs = 5) => new MemorySampler(intervalMs);

        public void Dispose()
        {
            stop = true;
            thread.Join();
            Sample();
        }

        private void Loop()
        {
            while (!stop)
            {
                Sample();
                Thread.Sleep(intervalMs);
            }
        }

        private void Sample()
        {
            var heap = GC.GetTotalMemory(false);
            var ws = Environment.WorkingSet;
            if (heap > Interlocked.Read(ref peakHeap)) Interlocked.Exchange(ref peakHeap, heap);
            if (ws > Interlocked.Read(ref peakWorkingSet)) Interlocked.Exchange(ref peakWorkingSet, ws);
            var after = AfterLastGc();
            if (after > Interlocked.Read(ref peakAfterGc)) Interlocked.Exchange(ref peakAfterGc, after);
        }

        private static long AfterLastGc()
        {
            long total = 0;
            foreach (var generation in GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo)
            {
                total += generation.SizeAfterBytes;
            }
            return total;
        }
    }
}
