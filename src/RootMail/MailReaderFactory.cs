using System.Runtime.CompilerServices;
using RootMail.Mail;

namespace RootMail.Commands
{
    /// <summary>
    /// The one place the cmdlet layer names RootMail.Graph. Kept in its own class and never inlined, so that the runtime
    /// loads RootMail.Graph, Microsoft.Graph and Kiota only when Get-AwsRootMail first reads mail, not at Import-Module.
    /// </summary>
    internal static class MailReaderFactory
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static IMailReader Create(MailConnection connection) => RootMail.Graph.GraphMail.Create(connection);
    }
}
