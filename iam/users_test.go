package iam

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"gatehouse/principal"
	"gatehouse/store"
)

var uniqueID = regexp.MustCompile(`^(AIDA|AGPA|AROA|ANPA)[A-Z2-7]{17}$`)

func TestUsersLifecycle(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	out, err := s.CreateUser(ctx, root, CreateUserInput{UserName: "Alice", Path: "/dev/", Tags: []Tag{{"team", "blue"}}})
	mustOK(t, err)
	u := out.User
	if !uniqueID.MatchString(u.UserId) || !strings.HasPrefix(u.UserId, "AIDA") || u.Arn != "arn:aws:iam::111111111111:user/dev/Alice" || u.Path != "/dev/" {
		t.Errorf("CreateUser = %+v", u)
	}
	// IAM user names are unique whatever their case.
	_, err = s.CreateUser(ctx, root, CreateUserInput{UserName: "alice"})
	wantCode(t, err, "EntityAlreadyExists", "User with name alice already exists.")
	got, err := s.GetUser(ctx, root, GetUserInput{UserName: "ALICE"})
	mustOK(t, err)
	if got.User.UserId != u.UserId || len(got.User.Tags) != 1 {
		t.Errorf("GetUser = %+v", got.User)
	}
	_, err = s.GetUser(ctx, root, GetUserInput{UserName: "bob"})
	wantCode(t, err, "NoSuchEntity", "The user with name bob cannot be found.")
	// Without a name, GetUser is about the caller.
	self, err := s.GetUser(ctx, root, GetUserInput{})
	mustOK(t, err)
	if self.User.Arn != principal.RootARN(acct) || self.User.UserId != acct {
		t.Errorf("GetUser as root = %+v", self.User)
	}
	alice := userCaller(acct, &u)
	self, err = s.GetUser(ctx, &alice, GetUserInput{})
	mustOK(t, err)
	if self.User.UserName != "Alice" {
		t.Errorf("GetUser as alice = %+v", self.User)
	}

	// Validation errors use IAM's texts (the model's constraints).
	_, err = s.CreateUser(ctx, root, CreateUserInput{UserName: "bad name"})
	wantCode(t, err, "ValidationError", `1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	_, err = s.CreateUser(ctx, root, CreateUserInput{UserName: strings.Repeat("a", 65)})
	wantCode(t, err, "ValidationError", "")
	_, err = s.CreateUser(ctx, root, CreateUserInput{UserName: "x", Path: "dev"})
	wantCode(t, err, "ValidationError", "")

	// Paging: Marker and MaxItems.
	for _, n := range []string{"bob", "carol", "dave"} {
		_, err := s.CreateUser(ctx, root, CreateUserInput{UserName: n})
		mustOK(t, err)
	}
	two := int32(2)
	p1, err := s.ListUsers(ctx, root, ListUsersInput{Page: Page{MaxItems: &two}})
	mustOK(t, err)
	if len(p1.Users) != 2 || !p1.IsTruncated || p1.Users[0].UserName != "Alice" {
		t.Fatalf("page 1 = %+v", p1)
	}
	p2, err := s.ListUsers(ctx, root, ListUsersInput{Page: Page{MaxItems: &two, Marker: p1.Marker}})
	mustOK(t, err)
	if len(p2.Users) != 2 || p2.IsTruncated || p2.Users[1].UserName != "dave" {
		t.Fatalf("page 2 = %+v", p2)
	}
	dev, err := s.ListUsers(ctx, root, ListUsersInput{PathPrefix: "/dev/"})
	mustOK(t, err)
	if len(dev.Users) != 1 || dev.Users[0].Tags != nil {
		t.Errorf("ListUsers /dev/ = %+v", dev.Users)
	}
	zero := int32(0)
	_, err = s.ListUsers(ctx, root, ListUsersInput{Page: Page{MaxItems: &zero}})
	wantCode(t, err, "ValidationError", "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")

	// Rename: the keys follow the user.
	key, err := s.CreateAccessKey(ctx, root, CreateAccessKeyInput{UserName: "Alice"})
	mustOK(t, err)
	_, err = s.UpdateUser(ctx, root, UpdateUserInput{UserName: "alice", NewUserName: "alicia", NewPath: "/ops/"})
	mustOK(t, err)
	_, c, err := s.Keys.Lookup(ctx, key.AccessKey.AccessKeyId)
	mustOK(t, err)
	if c.Name != "alicia" || c.ARN != "arn:aws:iam::111111111111:user/ops/alicia" || c.UserID != u.UserId || c.Tags["team"] != "blue" {
		t.Errorf("key's caller after rename = %+v", c)
	}

	// DeleteUser: IAM's DeleteConflict until the user has nothing left.
	_, err = s.DeleteUser(ctx, root, DeleteUserInput{UserName: "alicia"})
	wantCode(t, err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")
	_, err = s.DeleteAccessKey(ctx, root, DeleteAccessKeyInput{UserName: "alicia", AccessKeyId: key.AccessKey.AccessKeyId})
	mustOK(t, err)
	_, err = s.CreateGroup(ctx, root, CreateGroupInput{GroupName: "devs"})
	mustOK(t, err)
	_, err = s.AddUserToGroup(ctx, root, AddUserToGroupInput{GroupName: "devs", UserName: "alicia"})
	mustOK(t, err)
	_, err = s.DeleteUser(ctx, root, DeleteUserInput{UserName: "alicia"})
	wantCode(t, err, "DeleteConflict", "Cannot delete entity, must remove user from all groups first.")
	_, err = s.RemoveUserFromGroup(ctx, root, RemoveUserFromGroupInput{GroupName: "devs", UserName: "alicia"})
	mustOK(t, err)
	_, err = s.DeleteUser(ctx, root, DeleteUserInput{UserName: "alicia"})
	mustOK(t, err)
	_, err = s.GetUser(ctx, root, GetUserInput{UserName: "alicia"})
	wantCode(t, err, "NoSuchEntity", "")
}

func TestAccessKeys(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	_, err := s.CreateUser(ctx, root, CreateUserInput{UserName: "bob"})
	mustOK(t, err)
	k1, err := s.CreateAccessKey(ctx, root, CreateAccessKeyInput{UserName: "bob"})
	mustOK(t, err)
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(k1.AccessKey.AccessKeyId) || len(k1.AccessKey.SecretAccessKey) != 40 || k1.AccessKey.Status != "Active" {
		t.Errorf("CreateAccessKey = %+v", k1.AccessKey)
	}
	secret, caller, err := s.Keys.Lookup(ctx, k1.AccessKey.AccessKeyId)
	mustOK(t, err)
	if secret != k1.AccessKey.SecretAccessKey || caller.Type != principal.IAMUser || caller.Name != "bob" {
		t.Errorf("the key authenticates %+v", caller)
	}
	_, err = s.CreateAccessKey(ctx, root, CreateAccessKeyInput{UserName: "bob"})
	mustOK(t, err)
	// IAM quotas: two access keys per user.
	_, err = s.CreateAccessKey(ctx, root, CreateAccessKeyInput{UserName: "bob"})
	wantCode(t, err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	list, err := s.ListAccessKeys(ctx, root, ListAccessKeysInput{UserName: "bob"})
	mustOK(t, err)
	if len(list.AccessKeyMetadata) != 2 {
		t.Errorf("ListAccessKeys = %+v", list)
	}
	_, err = s.UpdateAccessKey(ctx, root, UpdateAccessKeyInput{UserName: "bob", AccessKeyId: k1.AccessKey.AccessKeyId, Status: "Inactive"})
	mustOK(t, err)
	if _, _, err := s.Keys.Lookup(ctx, k1.AccessKey.AccessKeyId); err == nil {
		t.Error("an inactive key still authenticates")
	}
	_, err = s.UpdateAccessKey(ctx, root, UpdateAccessKeyInput{UserName: "bob", AccessKeyId: k1.AccessKey.AccessKeyId, Status: "Paused"})
	wantCode(t, err, "ValidationError", "")
	_, err = s.DeleteAccessKey(ctx, root, DeleteAccessKeyInput{UserName: "bob", AccessKeyId: "AKIAAAAAAAAAAAAAAAAA"})
	wantCode(t, err, "NoSuchEntity", "The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.")
	lu, err := s.GetAccessKeyLastUsed(ctx, root, GetAccessKeyLastUsedInput{AccessKeyId: k1.AccessKey.AccessKeyId})
	mustOK(t, err)
	if lu.UserName != "bob" || lu.AccessKeyLastUsed.ServiceName != "N/A" {
		t.Errorf("GetAccessKeyLastUsed = %+v", lu)
	}
	// A user manages its own keys without naming itself.
	u, _ := s.GetUser(ctx, root, GetUserInput{UserName: "bob"})
	bob := userCaller(acct, &u.User)
	own, err := s.ListAccessKeys(ctx, &bob, ListAccessKeysInput{})
	mustOK(t, err)
	if len(own.AccessKeyMetadata) != 2 {
		t.Errorf("ListAccessKeys as bob = %+v", own)
	}
}

func TestLoginProfile(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	_, err := s.CreateUser(ctx, root, CreateUserInput{UserName: "carol"})
	mustOK(t, err)
	_, err = s.GetLoginProfile(ctx, root, GetLoginProfileInput{UserName: "carol"})
	wantCode(t, err, "NoSuchEntity", "Login Profile for User carol cannot be found.")
	lp, err := s.CreateLoginProfile(ctx, root, CreateLoginProfileInput{UserName: "carol", Password: "correct horse battery", PasswordResetRequired: true})
	mustOK(t, err)
	if lp.LoginProfile.UserName != "carol" || !lp.LoginProfile.PasswordResetRequired {
		t.Errorf("CreateLoginProfile = %+v", lp)
	}
	_, err = s.CreateLoginProfile(ctx, root, CreateLoginProfileInput{UserName: "carol", Password: "x"})
	wantCode(t, err, "EntityAlreadyExists", "Login Profile for user carol already exists.")
	// The password is stored only as a bcrypt hash.
	view(t, s, func(tx store.Tx) error {
		u, _ := s.user(ctx, tx, acct, "carol")
		rec, _, err := get[loginRec](ctx, tx, kindLogin, u.UserId)
		if strings.Contains(string(rec.PasswordHash), "horse") || !strings.HasPrefix(string(rec.PasswordHash), "$2") {
			t.Errorf("stored hash %q", rec.PasswordHash)
		}
		return err
	})
	ok, err := s.CheckPassword(ctx, acct, "carol", "correct horse battery")
	mustOK(t, err)
	bad, _ := s.CheckPassword(ctx, acct, "carol", "wrong")
	if !ok || bad {
		t.Errorf("CheckPassword = %v, %v", ok, bad)
	}
	pw, no := "new password!", false
	_, err = s.UpdateLoginProfile(ctx, root, UpdateLoginProfileInput{UserName: "carol", Password: &pw, PasswordResetRequired: &no})
	mustOK(t, err)
	if ok, _ := s.CheckPassword(ctx, acct, "carol", pw); !ok {
		t.Error("the new password does not check")
	}
	_, err = s.DeleteUser(ctx, root, DeleteUserInput{UserName: "carol"})
	wantCode(t, err, "DeleteConflict", "Cannot delete entity, must delete login profile first.")
	_, err = s.DeleteLoginProfile(ctx, root, DeleteLoginProfileInput{UserName: "carol"})
	mustOK(t, err)
	_, err = s.DeleteUser(ctx, root, DeleteUserInput{UserName: "carol"})
	mustOK(t, err)
}
