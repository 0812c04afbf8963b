using System;
using System.Linq;
using RootMail.Mail;
using RootMail.Testing;
using Xunit;

namespace RootMail.Core.Tests
{
    /// <summary>Finding AWS's one-time and verification codes in messages, and the plain text of mail bodies.</summary>
    public class MailTests
    {
        public static TheoryData<AwsMailSample> Samples()
        {
            var data = new TheoryData<AwsMailSample>();
            foreach (var sample in AwsMailSamples.All) data.Add(sample);
            return data;
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void Finds_the_code_of_realistic_AWS_mail_and_none_where_there_is_none(AwsMailSample sample)
            => Assert.Equal(sample.Code, VerificationCode.Find(sample.Subject, sample.Body));

        [Theory]
        [MemberData(nameof(Samples))]
        public void Finds_the_same_code_in_the_HTML_rendering(AwsMailSample sample)
        {
            var html = "<html><head><title>AWS 123456</title><style>.code { font-size: 24px; } /* 999999 */</style></head><body><table><tr><td>" +
                       string.Join("</td></tr><tr><td>", sample.Body.Split('\n').Select(System.Net.WebUtility.HtmlEncode)) +
                       "</td></tr></table></body></html>";
            Assert.Equal(sample.Code, VerificationCode.Find(sample.Subject, MailText.FromHtml(html)));
        }

        [Theory]
        [InlineData("Your verification code is: 482913", "482913")]
        [InlineData("Verification code:\n\n 739024 \n", "739024")]
        [InlineData("Your one-time password (OTP) is k7Q2xm.", "k7Q2xm")]
        [InlineData("OTP: A1B2C3", "A1B2C3")]
        [InlineData("Security code - 120934", "120934")]
        [InlineData("Enter this code:\u00A0583102", "583102")]
        [InlineData("Your code is ABCDEF", "ABCDEF")]
        [InlineData("Your AWS passcode\r\n\r\n664120\r\n", "664120")]
        [InlineData("551806 is your code", "551806")]
        public void Finds_codes_in_the_forms_AWS_writes_them(string body, string code) => Assert.Equal(code, VerificationCode.Find(null, body));

        [Theory]
        [InlineData("Enter the code within 10 minutes.")]
        [InlineData("Please enter the verification code when prompted.")]
        [InlineData("Your code expires in 10 minutes.")]
        [InlineData("Account ID: 123456789012")]
        [InlineData("Invoice 2186359042, total USD 103.75, Seattle, WA 98109-5210")]
        [InlineData("We sent a code to your phone number ending in 4242.")]
        [InlineData("The barcode 123456 is on the parcel.")]
        [InlineData("Code of conduct")]
        [InlineData("")]
        [InlineData(null)]
        public void Finds_no_code_in_ordinary_text(string? body) => Assert.Null(VerificationCode.Find("Amazon Web Services", body));

        [Fact]
        public void A_code_in_the_subject_wins_over_numbers_in_the_body()
            => Assert.Equal("640285", VerificationCode.Find("Your sign-in code is 640285", "Reference code: 123999, not the one to enter."));

        [Fact]
        public void A_pathological_body_is_no_code_and_no_hang()
        {
            var body = string.Concat(Enumerable.Repeat("code code code ", 20000)) + new string('a', 100000);
            var started = DateTime.UtcNow;
            Assert.Null(VerificationCode.Find(null, body));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        }

        [Theory]
        [InlineData("123456", true)]
        [InlineData("K7Q2XM", true)]
        [InlineData("k7q2xm", true)]
        [InlineData("ABCDEF", true)]
        [InlineData("within", false)]
        [InlineData("Thanks", false)]
        [InlineData("PLEASE", false)]
        [InlineData("12345", false)]
        [InlineData("1234567", false)]
        [InlineData("12-456", false)]
        public void Codes_are_six_letters_and_digits(string candidate, bool expected) => Assert.Equal(expected, VerificationCode.IsCode(candidate));

        [Fact]
        public void Html_becomes_readable_text()
        {
            var text = MailText.FromHtml("<html><head><style>p {color:red}</style></head><body><h1>Verify&nbsp;your email</h1><p>Code:<br/><b>739024</b></p><!-- 111111 --><div>A &amp; B</div></body></html>");
            Assert.Equal("Verify your email\n\nCode:\n739024\n\nA & B", text); // blocks apart by one blank line at most
        }

        [Fact]
        public void Previews_are_one_line()
        {
            Assert.Equal("a b c", MailText.OneLine("a\r\n b\n\n c "));
            Assert.Equal(255, MailText.OneLine(new string('x', 400)).Length);
            Assert.Equal("", MailText.OneLine(null));
        }

        [Fact]
        public void Recipients_match_case_insensitively_in_To_and_Cc()
        {
            var item = new MailItem("1", DateTimeOffset.UtcNow, "a@b", "s", "p", "b", new[] { "AWS-Prod-1@Contoso.com" }, new[] { "aws-dev-2@contoso.com" });
            Assert.True(item.IsAddressedTo("aws-prod-1@contoso.com"));
            Assert.True(item.IsAddressedTo("aws-dev-2@contoso.com"));
            Assert.False(item.IsAddressedTo("aws-prod-10@contoso.com"));
            Assert.False(item.IsAddressedTo("prod-1@contoso.com"));
        }
    }
}
