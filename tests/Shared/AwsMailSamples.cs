namespace RootMail.Testing
{
    /// <summary>One sample message: who sent it, its subject and plain-text body, and the code a reader should find (or null).</summary>
    public sealed class AwsMailSample
    {
        public AwsMailSample(string name, string from, string subject, string body, string? code)
        {
            Name = name;
            From = from;
            Subject = subject;
            Body = body;
            Code = code;
        }

        public string Name { get; }
        public string From { get; }
        public string Subject { get; }
        public string Body { get; }
        public string? Code { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// Messages as AWS sends them to a root user's address, written after the real ones (plain-text rendering of the HTML
    /// mails): the sign-up e-mail verification, the one-time password of StartPrimaryEmailUpdate, the root sign-in
    /// verification, MFA-style codes, and mails that hold numbers but no code (password reset, welcome, billing).
    /// Used by the code-extraction unit tests and the engine tests of Get-AwsRootMail.
    /// </summary>
    public static class AwsMailSamples
    {
        public static readonly AwsMailSample SignUpVerification = new AwsMailSample(
            "sign-up e-mail verification",
            "no-reply@signup.aws",
            "AWS Email Verification",
            "Amazon Web Services\n\n" +
            "Verify your email address\n\n" +
            "Thanks for starting the new AWS account creation process. We want to make sure it's really you. Please enter the following verification code when prompted. If you don't want to create an account, you can ignore this message.\n\n" +
            "Verification code\n\n" +
            "739024\n\n" +
            "(This code is valid for 10 minutes)\n\n" +
            "Amazon Web Services will never email you and ask you to disclose or verify your password, credit card, or banking account number.\n\n" +
            "This message was produced and distributed by Amazon Web Services, Inc., 410 Terry Ave. North, Seattle, WA 98109. \u00A9 2024, Amazon Web Services, Inc. All rights reserved. AWS is a registered trademark of Amazon.com, Inc. View our privacy policy.",
            "739024");

        public static readonly AwsMailSample PrimaryEmailUpdate = new AwsMailSample(
            "primary e-mail update one-time password",
            "no-reply@notifications.aws",
            "Verify your new AWS account primary email address",
            "Amazon Web Services\n\n" +
            "Hello,\n\n" +
            "We received a request to change the primary email address of AWS account 012345678901 (prod-payments) to this email address. " +
            "To confirm that you can receive email here, enter the following one-time password (OTP) in the AWS Management Console or pass it to the AcceptPrimaryEmailUpdate API:\n\n" +
            "K7Q2XM\n\n" +
            "This one-time password expires in 24 hours. If you did not request this change, you can ignore this email; the primary email address stays the same.\n\n" +
            "Sincerely,\nAmazon Web Services\n\n" +
            "Amazon Web Services, Inc. is a subsidiary of Amazon.com, Inc. Amazon.com is a registered trademark of Amazon.com, Inc. This message was produced and distributed by Amazon Web Services Inc., 410 Terry Ave. North, Seattle, WA 98109-5210",
            "K7Q2XM");

        public static readonly AwsMailSample RootSignIn = new AwsMailSample(
            "root user sign-in verification",
            "no-reply@signin.aws",
            "Amazon Web Services Sign-In: your verification code",
            "Hello,\n\n" +
            "Someone is trying to sign in to the AWS Management Console as the root user of account 109876543210 from a browser we don't recognize. " +
            "Your verification code is: 482913\n\n" +
            "The code expires in 10 minutes. If this wasn't you, change your root user password and contact AWS Support.\n\n" +
            "Thank you,\nAmazon Web Services",
            "482913");

        public static readonly AwsMailSample MfaStyle = new AwsMailSample(
            "MFA-style code",
            "no-reply@login.awsapps.com",
            "Your AWS verification code",
            "Hi,\n\nYour code is 551806. It expires in 10 minutes.\n\nDo not share this code with anyone.\n\nAmazon Web Services",
            "551806");

        public static readonly AwsMailSample CodeFirst = new AwsMailSample(
            "code first",
            "no-reply@signin.aws",
            "AWS Sign-In",
            "306117 is your AWS one-time verification code. It expires in 5 minutes.",
            "306117");

        public static readonly AwsMailSample CodeInSubject = new AwsMailSample(
            "code in the subject",
            "no-reply@verify.signin.aws",
            "Your AWS sign-in code is 640285",
            "Use the code in the subject line to finish signing in. It is valid for 10 minutes.",
            "640285");

        public static readonly AwsMailSample PasswordReset = new AwsMailSample(
            "password reset (a link, no code)",
            "no-reply@signin.aws",
            "Amazon Web Services Password Assistance",
            "Greetings from Amazon Web Services,\n\n" +
            "We heard that you lost your AWS password. Sorry about that!\n\n" +
            "But don't worry! You can use the following link to reset your password:\n\n" +
            "https://signin.aws.amazon.com/resetpassword?type=RootUser&token=Fk3mQ2x9Lp7TzR4vW8nB6cY1dH5jG0sA&key=a1b2c3\n\n" +
            "If you don't use this link within 1 hour, it will expire. To get a new password reset link, visit https://signin.aws.amazon.com/resetpassword\n\n" +
            "Thanks,\nYour friends at Amazon Web Services",
            null);

        public static readonly AwsMailSample Welcome = new AwsMailSample(
            "welcome (account ID, no code)",
            "aws-marketing-email-replies@amazon.com",
            "Welcome to Amazon Web Services",
            "Welcome to Amazon Web Services\n\n" +
            "Thank you for creating an Amazon Web Services (AWS) account. Your AWS Account ID is 012345678901.\n\n" +
            "You can now access any of our services; you are only charged for what you use. " +
            "Please verify the contact details of your account and secure your root user with MFA.\n\n" +
            "Sincerely,\nAmazon Web Services\n\n" +
            "Amazon Web Services, Inc., 410 Terry Avenue North, Seattle, WA 98109-5210",
            null);

        public static readonly AwsMailSample Billing = new AwsMailSample(
            "billing notice (amounts, no code)",
            "aws-billing@amazon.com",
            "Amazon Web Services Billing Statement Available [Account: 012345678901]",
            "Greetings from Amazon Web Services,\n\n" +
            "This e-mail confirms that your latest billing statement, for the account ending in 8901, is available on the AWS web site. Invoice number: 2186359042.\n\n" +
            "Total: USD 103.75\n" +
            "Statement period: April 1 - April 30, 2024\n\n" +
            "Please note: the charges will be billed to your Visa ending in 4242 within the next few days.\n\n" +
            "Sincerely,\nAmazon Web Services",
            null);

        public static readonly AwsMailSample ClosingNotice = new AwsMailSample(
            "account closure notice (no code)",
            "aws-account-closure@amazon.com",
            "Your AWS account 123456789012 is closed",
            "Hello,\n\nYour AWS account (123456789012) was closed on 2024-05-14. " +
            "Within 90 days you can reopen it by signing in as the root user and contacting AWS Support; after that the account and its content are deleted.\n\n" +
            "Please be aware that the root email address cannot be used for a new AWS account.\n\nAmazon Web Services",
            null);

        public static readonly AwsMailSample[] All =
        {
            SignUpVerification, PrimaryEmailUpdate, RootSignIn, MfaStyle, CodeFirst, CodeInSubject, PasswordReset, Welcome, Billing, ClosingNotice,
        };
    }
}
