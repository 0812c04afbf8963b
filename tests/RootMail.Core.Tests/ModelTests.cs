using RootMail;
using Xunit;

namespace RootMail.Core.Tests
{
    public class ModelTests
    {
        [Fact]
        public void Free_is_capacity_minus_used()
        {
            var m = new AwsRootMailbox("m", "m@contoso.com", "default", 300, 120, 2, null, null);
            Assert.Equal(180, m.Free);
        }

        [Fact]
        public void Exchange_400_limit_caps_the_effective_capacity()
        {
            // 400 proxies in all: with 150 other addresses only 250 aliases fit, whatever the capacity says.
            var m = new AwsRootMailbox("m", "m@contoso.com", "default", 300, 240, 150, null, null);
            Assert.Equal(250, m.EffectiveCapacity);
            Assert.Equal(10, m.Free);
        }

        [Fact]
        public void Free_is_never_negative()
        {
            var m = new AwsRootMailbox("m", "m@contoso.com", "default", 10, 25, 2, null, null);
            Assert.Equal(0, m.Free);
        }
    }
}
