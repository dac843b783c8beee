import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

/** Permission flags to set; omitted flags take the role's default. */
export class PermissionsDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() create_kb?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() delete_documents?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() run_queries?: boolean;
}
