package fugong

import "testing"

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		username, password, want string
	}{
		{"it01", "12345678", "password.short"},
		{"it01", "abc-12345", "password.short"},
		{"it01", "abcdefghijkl", "password.one_class"},
		{"it01", "1234567890123", "password.one_class"},
		{"it01", "ABCDEFGHIJK", "password.one_class"},
		{"zhangsan", "zhangsan", "password.short"},
		{"zhangsan01", "zhangsan01", "password.username"},
		{"zhangsan01", "ZhangSan01!", "password.username"},
		{"zhangsan", "my-zhangsan-2020", "password.username"},
		{"ab", "ab-is-my-name-1", ""},
		{"it01", "Password123", "password.common"},
		{"it01", "1qaz2wsx3edc", "password.common"},
		{"it01", "Admin@123456", "password.common"},
		{"it01", "demo-password-2020", ""},
		{"it01", "红梅村登记员2020", ""},
		{"", "long-enough-1", ""},
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.username, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%q, %q) = %q, want %q", tt.username, tt.password, got, tt.want)
		}
	}
}
