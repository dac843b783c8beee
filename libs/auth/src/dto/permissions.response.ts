import { ApiProperty } from '@nestjs/swagger';

export class PermissionsResponse {
  @ApiProperty() create_kb!: boolean;
  @ApiProperty() delete_documents!: boolean;
  @ApiProperty() run_queries!: boolean;
}
