using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using RootMail;
using RootMail.Rules;
using Xunit;

namespace RootMail.Core.Tests
{
    public class AddressTemplateTests
    {
        static readonly Regex Local = new Regex("^[a-z0-9_+-]+(\\.[a-z0-9_+-]+)*$");

        [Fact]
        public void Default_template_puts_the_slugged_name_and_eight_random_characters()
        {
            var t = AddressTemplate.Parse(Limits.DefaultAddressTemplate, "contoso.com");
            var address = t.Generate("Team Alpha -- Prod!", "contoso.com");
            Assert.Matches("^aws-team-alpha-prod-[a-z0-9]{8}@contoso\\.com$", address);
        }

        [Fact]
        public void Without_a_name_the_separators_fold_away()
        {
            var t = AddressTemplate.Parse("aws-{name}-{random:10}", "contoso.com");
            Assert.Matches("^aws-[a-z0-9]{10}@contoso\\.com$", t.Generate(null, "contoso.com"));
            Assert.Matches("^aws-[a-z0-9]{10}@contoso\\.com$", t.Generate("!!!", "contoso.com"));
            var t2 = AddressTemplate.Parse("{name}.{random}", "contoso.com");
            Assert.Matches("^[a-z0-9]{8}@contoso\\.com$", t2.Generate("", "contoso.com"));
        }

        [Fact]
        public void Long_names_are_cut_so_the_address_never_passes_64_characters()
        {
            var domain = "a-rather-long-subdomain.example.com";
            var t = AddressTemplate.Parse("aws-{name}-{random}", domain);
            for (int i = 0; i < 200; i++)
            {
                var address = t.Generate(new string('x', i) + " Prod Account", domain);
                Assert.True(address.Length <= 64, address);
                Assert.Equal(address.ToLowerInvariant(), address);
                Assert.Matches(Local, address.Substring(0, address.IndexOf('@')));
                Assert.Equal(address, Validate.AliasAddress(address));
            }
        }

        [Fact]
        public void Random_part_differs_between_calls_and_uses_the_whole_alphabet()
        {
            var t = AddressTemplate.Parse("{random:12}", "contoso.com");
            var seen = new HashSet<string>();
            var chars = new HashSet<char>();
            for (int i = 0; i < 2000; i++)
            {
                var a = t.Generate(null, "contoso.com");
                Assert.True(seen.Add(a));
                foreach (var c in a.Substring(0, 12)) chars.Add(c);
            }
            Assert.Equal(36, chars.Count);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("aws-{name}", "random characters")]
        [InlineData("aws-{random:3}", "not a token")]
        [InlineData("aws-{random:33}", "not a token")]
        [InlineData("aws-{rand}", "not a token")]
        [InlineData("aws {random}", "not allowed")]
        [InlineData("aws'{random}", "not allowed")]
        [InlineData("aws-{random", "closing")]
        [InlineData("aws-{random:32}-{random:32}", "64")]
        public void Bad_templates_are_refused(string template, string why)
        {
            var ex = Assert.Throws<RootMailException>(() => AddressTemplate.Parse(template, "contoso.com"));
            Assert.Equal("RootMail.InvalidAddressTemplate", ex.ErrorId);
            Assert.Contains(why, ex.Message);
        }

        [Fact]
        public void Template_is_checked_against_the_domain_length()
        {
            var domain = string.Join(".", Enumerable.Repeat("abcdefghij", 4)) + ".com"; // 47 characters
            Assert.Throws<RootMailException>(() => AddressTemplate.Parse("aws-{random:16}", domain)); // 4 + 16 + 1 + 47 = 68
            AddressTemplate.Parse("aws-{random}", domain);                                             // 4 + 8 + 1 + 47 = 60
        }

        [Theory]
        [InlineData("Café Ops", 20, "caf-ops")]
        [InlineData("  --A--B--  ", 20, "a-b")]
        [InlineData("abcdefgh-ijk", 9, "abcdefgh")]
        public void Slug(string input, int max, string expected) => Assert.Equal(expected, AddressTemplate.Slug(input, max));
    }
}
