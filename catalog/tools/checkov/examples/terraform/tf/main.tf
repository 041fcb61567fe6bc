# Bastion access for the report service. The Checkov example plants an open SSH rule on purpose.
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH to the bastion host"

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
