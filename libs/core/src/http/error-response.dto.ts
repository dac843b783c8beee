import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-codes';

/** OpenAPI description of the one error shape (see ErrorBody). */
export class ErrorResponse {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: 'Knowledge base not found' }) message!: string;
  @ApiProperty({ enum: Object.values(ErrorCode), example: 'KB_NOT_FOUND' }) code!: ErrorCode;
  @ApiProperty({ nullable: true, type: String, description: 'Quote it when reporting a problem' })
  requestId!: string | null;
}
