import { Controller, Get } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { ldapLoginPath, oidcLoginPath, SignInOptionsResponse } from './dto/identity-provider.dto';
import { IdentityProvidersService } from './identity-providers.service';

@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('auth/providers')
export class SignInOptionsController {
  constructor(private readonly providers: IdentityProvidersService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The identity providers people can sign in through, for a sign-in page' })
  @ApiOkResponse({ type: SignInOptionsResponse })
  async list(): Promise<SignInOptionsResponse> {
    const providers = await this.providers.listEnabled();
    return {
      providers: providers.map((p) => ({
        slug: p.slug,
        kind: p.kind,
        display_name: p.displayName,
        login_path: p.kind === 'oidc' ? oidcLoginPath(p.slug) : ldapLoginPath(p.slug),
      })),
    };
  }
}
