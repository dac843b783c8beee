import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { PasswordReset } from './accounts/password-reset.entity';
import { PasswordResetController } from './accounts/password-reset.controller';
import { ApiKey } from './api-keys/api-key.entity';
import { ApiKeyStrategy } from './api-keys/api-key.strategy';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LoginRateLimiter } from './login/login-rate-limiter';
import { PasswordCheck } from './login/password-check';
import { LdapController } from './ldap/ldap.controller';
import { LdapSignInService } from './ldap/ldap-sign-in.service';
import { SessionBinding } from './login/session-binding';
import { SignInOptionsController } from './sso/sign-in-options.controller';
import { OidcController } from './oidc/oidc.controller';
import { OidcSignInService } from './oidc/oidc-sign-in.service';
import { IdentityProvider } from './sso/identity-provider.entity';
import { IdentityProvidersController } from './sso/identity-providers.controller';
import { IdentityProvidersService } from './sso/identity-providers.service';
import { SsoAccountsService } from './sso/sso-accounts.service';
import { SsoHandoff } from './sso/sso-handoff.entity';
import { UserIdentity } from './sso/user-identity.entity';
import { RefreshToken } from './tokens/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';
import { TokenService } from './tokens/token.service';
import { PasswordHasher } from './users/password-hasher';
import { User } from './users/user.entity';
import { UsersService } from './users/users.service';
import { PasswordsService } from './users/passwords.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      User,
      RefreshToken,
      Session,
      PasswordReset,
      ApiKey,
      IdentityProvider,
      UserIdentity,
      SsoHandoff,
    ]),
    PassportModule,
    JwtModule.register({}),
  ],
  controllers: [
    AuthController,
    SessionsController,
    PasswordResetController,
    AccountsController,
    ApiKeysController,
    IdentityProvidersController,
    OidcController,
    LdapController,
    SignInOptionsController,
  ],
  providers: [
    AuthService,
    UsersService,
    PasswordsService,
    PasswordHasher,
    TokenService,
    SessionsService,
    AccountsService,
    LoginRateLimiter,
    PasswordCheck,
    JwtStrategy,
    ApiKeysService,
    ApiKeyStrategy,
    JwtAuthGuard,
    SessionBinding,
    IdentityProvidersService,
    SsoAccountsService,
    OidcSignInService,
    LdapSignInService,
  ],
  exports: [UsersService, SessionsService, AccountsService, ApiKeysService, JwtAuthGuard, PasswordCheck],
})
export class AuthModule {}
