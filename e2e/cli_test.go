package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// awsCLI is the AWS CLI v2 of Debian's awscli package.
const awsCLI = "/usr/bin/aws"

// TestAWSCLI runs the AWS CLI v2 scripts, each against a server of its
// own: cli-organizations.sh builds and checks the seed's organization;
// cli-seed-iam.sh adds the seed's IAM setup and checks its controls with
// the policy simulator and real requests.
func TestAWSCLI(t *testing.T) {
	if _, err := os.Stat(awsCLI); err != nil {
		requirePrerequisite(t, "the AWS CLI v2 is not installed at "+awsCLI+" (apt-get install -y awscli)")
	}
	for _, script := range []string{"cli-organizations.sh", "cli-seed-iam.sh"} {
		t.Run(script, func(t *testing.T) {
			t.Parallel()
			runCLIScript(t, script)
		})
	}
}

// TestAWSCLIMarketplace runs cli-seed-marketplace.sh: the seed end to
// end with the AWS CLI — the organization, a seller's products, the
// procurement manager's experience, a retail admin refused by the SCP, a
// developer who finds, requests, buys and deploys approved software, and
// the purchase-restricting SCP under which only procurement-manager buys.
// The Marketplace APIs need the AWS CLI v1 (botocore 1.43): without it
// the test fails in CI and is skipped elsewhere.
func TestAWSCLIMarketplace(t *testing.T) {
	if _, err := os.Stat(awsCLI); err != nil {
		requirePrerequisite(t, "the AWS CLI v2 is not installed at "+awsCLI+" (apt-get install -y awscli)")
	}
	if awsCLIv1(t) == "" {
		t.Skip("the Marketplace APIs need the AWS CLI v1 (botocore 1.43) first on PATH")
	}
	t.Parallel()
	runCLIScript(t, "cli-seed-marketplace.sh")
}

// runCLIScript runs testdata/SCRIPT against a new server as its
// management account's root user.
func runCLIScript(t *testing.T, script string) {
	srv := start(t, opts{})
	home := t.TempDir()
	cmd := exec.Command("bash", "testdata/"+script)
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
		"AWS_CLI_V1=" + awsCLIv1(t),
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	t.Logf("%s:\n%s", script, out)
}

// awsCLIv1 returns the AWS CLI v1 first on PATH (botocore 1.43 on these
// machines): the one CLI that sends a profile's AssumeRole to
// AWS_ENDPOINT_URL.
func awsCLIv1(t *testing.T) string {
	path, err := exec.LookPath("aws")
	if err == nil {
		out, verr := exec.Command(path, "--version").CombinedOutput()
		if verr == nil && strings.HasPrefix(string(out), "aws-cli/1.") {
			return path
		}
	}
	msg := "no AWS CLI v1 first on PATH: the role_arn profile check needs botocore 1.43"
	if inCI() {
		t.Fatal(msg + " (CI=true: this prerequisite is required)")
	}
	t.Log(msg + "; the scripts skip it")
	return ""
}
