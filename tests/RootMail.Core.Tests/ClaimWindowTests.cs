using System;
using System.Linq;
using RootMail.Registry;
using Xunit;

namespace RootMail.Core.Tests
{
    public class ClaimWindowTests
    {
        [Fact]
        public void A_window_row_gives_back_exactly_the_aliases_written_into_it()
        {
            var created = new DateTimeOffset(2026, 11, 24, 10, 15, 30, 123, TimeSpan.Zero).AddTicks(4567);
            var written = new[]
            {
                new WindowEntry("aws-a1b2c3d4@contoso.com", "awsroot-001@contoso.com", created),
                new WindowEntry("aws-payments-prod-eu-x9@contoso.com", "awsroot-002@contoso.com", null),
            };
            var row = new WindowRow { Entries = WindowRow.Format(written) };
            var read = row.Parse();
            Assert.Equal(written.Select(e => (e.Address, e.Mailbox, e.CreatedAt)), read.Select(e => (e.Address, e.Mailbox, e.CreatedAt)));
        }

        [Fact]
        public void An_empty_window_lists_nothing()
        {
            Assert.Empty(new WindowRow().Parse());
            Assert.Empty(new WindowRow { Entries = WindowRow.Format(Array.Empty<WindowEntry>()) }.Parse());
        }
    }
}
