using RootMail;
using RootMail.Rules;
using Xunit;

namespace RootMail.Core.Tests
{
    public class ValidateTests
    {
        [Theory]
        [InlineData("012345678901")]
        [InlineData("000000000000")]
        [InlineData("999999999999")]
        public void AccountId_accepts_twelve_digits_and_keeps_leading_zeros(string id) => Assert.Equal(id, Validate.AccountId(id));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("12345678901")]      // 11 digits: what PowerShell makes of an unquoted 012345678901
        [InlineData("1234567890123")]
        [InlineData("12345678901a")]
        [InlineData(" 123456789012")]
        [InlineData("١٢٣٤٥٦٧٨٩٠١٢")]     // Arabic-Indic digits are digits to char.IsDigit, not to AWS
        [InlineData("123456789012' or RowKey ne '")]
        public void AccountId_rejects_anything_else(string? id)
        {
            var ex = Assert.Throws<RootMailException>(() => Validate.AccountId(id));
            Assert.Equal("RootMail.InvalidAccountId", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        }

        [Theory]
        [InlineData("Alice@Contoso.com", "alice@contoso.com")]
        [InlineData("a.b+c_d-e@sub.contoso.co.uk", "a.b+c_d-e@sub.contoso.co.uk")]
        public void Email_is_lowercased(string input, string expected) => Assert.Equal(expected, Validate.Email("RequestedBy", input));

        [Theory]
        [InlineData("alice")]
        [InlineData("alice@")]
        [InlineData("@contoso.com")]
        [InlineData("alice@contoso")]
        [InlineData("al ice@contoso.com")]
        [InlineData(".alice@contoso.com")]
        [InlineData("alice.@contoso.com")]
        [InlineData("al..ice@contoso.com")]
        [InlineData("a@b@contoso.com")]
        [InlineData("alice'@contoso.com")]
        [InlineData("x@y.com' or PartitionKey ne '")]
        [InlineData("alice@contoso.com' or '1' eq '1")]
        [InlineData("ali/ce@contoso.com")]
        [InlineData("ali#ce@contoso.com")]
        [InlineData("alicé@contoso.com")]
        [InlineData("alice@-contoso.com")]
        public void Email_rejects_malformed_and_key_breaking_input(string input)
        {
            var ex = Assert.Throws<RootMailException>(() => Validate.Email("RequestedBy", input));
            Assert.Equal("RootMail.InvalidEmailAddress", ex.ErrorId);
            Assert.Contains("-RequestedBy", ex.Message);
        }

        [Fact]
        public void Alias_addresses_are_at_most_64_characters()
        {
            var local = new string('a', 64 - "@contoso.com".Length);
            Assert.Equal(64, Validate.AliasAddress(local + "@contoso.com").Length);
            var ex = Assert.Throws<RootMailException>(() => Validate.AliasAddress(local + "a@contoso.com"));
            Assert.Equal("RootMail.InvalidAliasAddress", ex.ErrorId);
            Assert.Contains("65 characters", ex.Message);
        }

        [Fact]
        public void Alias_address_in_a_foreign_domain_is_rejected_when_the_pool_domain_is_known()
        {
            var ex = Assert.Throws<RootMailException>(() => Validate.AliasAddress("aws-x@fabrikam.com", "default", "contoso.com"));
            Assert.Equal("RootMail.AddressNotInPoolDomain", ex.ErrorId);
        }

        [Theory]
        [InlineData("default", "default")]
        [InlineData("Prod-EU_1", "prod-eu_1")]
        public void Pool_names_are_lowercased(string input, string expected) => Assert.Equal(expected, Validate.PoolName(input));

        [Theory]
        [InlineData("")]
        [InlineData("-x")]
        [InlineData("default' or '1' eq '1")]
        [InlineData("a|b")]
        [InlineData("abcdefghijabcdefghijabcdefghijabc")] // 33
        public void Pool_names_reject_bad_input(string input)
            => Assert.Equal("RootMail.InvalidPoolName", Assert.Throws<RootMailException>(() => Validate.PoolName(input)).ErrorId);

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(401)]
        public void Capacity_must_fit_exchange(int value)
            => Assert.Equal("RootMail.InvalidCapacity", Assert.Throws<RootMailException>(() => Validate.Capacity("Capacity", value)).ErrorId);

        [Fact]
        public void Account_names_follow_aws()
        {
            Assert.Equal("Team Alpha (prod) 'x'", Validate.AccountName("Team Alpha (prod) 'x'"));
            Assert.Null(Validate.AccountName(null));
            Assert.Equal("RootMail.InvalidAccountName", Assert.Throws<RootMailException>(() => Validate.AccountName(new string('a', 51))).ErrorId);
            Assert.Equal("RootMail.InvalidAccountName", Assert.Throws<RootMailException>(() => Validate.AccountName("line\nbreak")).ErrorId);
            Assert.Equal("RootMail.InvalidAccountName", Assert.Throws<RootMailException>(() => Validate.AccountName("")).ErrorId);
        }

        [Theory]
        [InlineData("awsroot-001")]
        [InlineData("AWS Root 01")]
        public void Mailbox_names(string name) => Assert.Equal(name, Validate.MailboxName("Name", name));

        [Theory]
        [InlineData("x' or 'a' eq 'a")]
        [InlineData(" lead")]
        [InlineData("trail.")]
        public void Mailbox_names_reject_bad_input(string name)
            => Assert.Equal("RootMail.InvalidMailboxName", Assert.Throws<RootMailException>(() => Validate.MailboxName("Name", name)).ErrorId);
    }
}
