package e2e

import (
	"os"
	"os/exec"
	"testing"
)

// awsCLI is the AWS CLI v2 of Debian's awscli package.
const awsCLI = "/usr/bin/aws"

// TestAWSCLI runs testdata/cli-organizations.sh, the seed's organization
// built and checked with the AWS CLI v2, against a server.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(awsCLI); err != nil {
		requirePrerequisite(t, "the AWS CLI v2 is not installed at "+awsCLI+" (apt-get install -y awscli)")
	}
	srv := start(t, opts{})
	home := t.TempDir()
	cmd := exec.Command("bash", "testdata/cli-organizations.sh")
	// A clean environment: no profile, config or credentials of the
	// machine's user can leak in.
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"LANG=C.UTF-8",
		"AWS_ACCESS_KEY_ID=" + srv.Key.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + srv.Key.SecretAccessKey,
		"AWS_DEFAULT_REGION=" + Region,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CLI=" + awsCLI,
		"GATEHOUSE_ENDPOINT=" + srv.URL,
		"GATEHOUSE_ACCOUNT=" + ManagementAccount,
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cli-organizations.sh: %v\n%s", err, out)
	}
	t.Logf("cli-organizations.sh:\n%s", out)
}
