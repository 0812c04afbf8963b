using System;
using System.IO;
using RootMail.Testing;
using Xunit;

namespace RootMail.Tests
{
    /// <summary>
    /// One Azurite table service for the whole test run, on a free loopback port, keeping its data
    /// in a temporary folder so that <see cref="Restart"/> (and <see cref="Stop"/>/<see cref="Start"/>,
    /// for outage tests) keep the registry. Tests get it with [Collection("Registry")] and a
    /// constructor parameter; they run one at a time. Give each test its own table
    /// (<see cref="TestNames.Table"/>): the data is shared by the whole run.
    /// </summary>
    public sealed class AzuriteFixture : IDisposable
    {
        public AzuriteFixture()
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "rootmail-tests-azurite-" + Guid.NewGuid().ToString("N"));
            Server = new AzuriteServer(DataDirectory);
            try
            {
                Server.Start();
            }
            catch
            {
                Server.Dispose();
                throw;
            }
        }

        public AzuriteServer Server { get; }

        /// <summary>Azurite's data folder (deleted at the end of the run).</summary>
        public string DataDirectory { get; }

        public int Port => Server.Port;

        /// <summary>http://127.0.0.1:&lt;port&gt;/devstoreaccount1</summary>
        public string TableEndpoint => Server.TableEndpoint;

        /// <summary>The full connection string, key included: pass it to scripts as a parameter, never literally in script text.</summary>
        public string ConnectionString => Server.ConnectionString;

        /// <summary>The secret that must never show up in any stream.</summary>
        public string AccountKey => AzuriteServer.AccountKey;

        /// <summary>Stop and start again on the same port; the data is kept.</summary>
        public void Restart() => Server.Restart();

        /// <summary>Stop (gracefully, data saved): the registry becomes unreachable until <see cref="Start"/>.</summary>
        public void Stop() => Server.Stop();

        /// <summary>Start again on the same port, with the data kept. A no-op when running.</summary>
        public void Start()
        {
            if (!Server.IsRunning)
            {
                Server.Start(Server.Port);
            }
        }

        public void Dispose()
        {
            Server.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (Exception)
            {
                // temp folder
            }
        }
    }

    /// <summary>Tests that need the registry (Azurite). One collection: they run one after another.</summary>
    [CollectionDefinition(Name)]
    public sealed class RegistryCollection : ICollectionFixture<AzuriteFixture>
    {
        public const string Name = "Registry";
    }

    /// <summary>Tests that only need the engine and the modules (no Azurite). Runs in parallel with "Registry".</summary>
    [CollectionDefinition(Name)]
    public sealed class EngineCollection
    {
        public const string Name = "Engine";
    }
}
