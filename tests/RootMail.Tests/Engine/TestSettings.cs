using System;
using System.Runtime.CompilerServices;

namespace RootMail.Tests.Engine
{
    internal static class TestSettings
    {
        /// <summary>Exchange back-off in the tests: 20 ms instead of seconds, so fault tests stay fast.</summary>
        [ModuleInitializer]
        internal static void FastExchangeRetries() => Environment.SetEnvironmentVariable("ROOTMAIL_EXCHANGE_RETRY_DELAY_MS", "20");
    }
}
